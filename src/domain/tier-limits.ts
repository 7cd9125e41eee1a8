import type { PocTier } from './poc-tier';
import type { ResourceAllocation } from './provision-request';
import type { FieldIssue } from './domain-error';

/** The most a tier's environment may be given. */
export const TIER_LIMITS: Record<PocTier, ResourceAllocation> = {
  standard: { cpu_cores: 8, memory_gb: 32, storage_gb: 100, max_users: 25 },
  professional: { cpu_cores: 32, memory_gb: 128, storage_gb: 500, max_users: 100 },
  enterprise: { cpu_cores: 80, memory_gb: 320, storage_gb: 2000, max_users: 1000 },
};

/** Each part of `allocation` above the tier's limit, as a field issue. */
export function allocationIssues(tier: PocTier, allocation: ResourceAllocation | undefined): FieldIssue[] {
  if (!allocation) return [];
  const limits = TIER_LIMITS[tier];
  return (Object.keys(limits) as Array<keyof ResourceAllocation>)
    .filter((k) => allocation[k] > limits[k])
    .map((k) => ({
      field: `poc_config.resource_allocation.${k}`,
      reason: `must be at most ${limits[k]} for the ${tier} tier`,
    }));
}

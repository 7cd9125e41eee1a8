import type { PocTier } from './poc-tier';

/** What a tier gets; the same numbers drive the local stack and the GCP module. */
export interface TierSizing {
  nodeCount: number;
  machineType: string;
  databaseTier: string;
}

export const TIER_SIZING: Record<PocTier, TierSizing> = {
  standard: { nodeCount: 1, machineType: 'e2-standard-2', databaseTier: 'db-custom-1-3840' },
  professional: { nodeCount: 2, machineType: 'e2-standard-4', databaseTier: 'db-custom-2-7680' },
  enterprise: { nodeCount: 3, machineType: 'e2-standard-8', databaseTier: 'db-custom-4-15360' },
};

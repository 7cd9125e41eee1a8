import type { PocTier } from './poc-tier';
import type { ResourceAllocation } from './provision-request';

/** What a tier gets; the same numbers drive the local stack and the GCP module. */
export interface TierSizing {
  nodeCount: number;
  machineType: string;
  /** vCPUs and memory (GiB) of one node of `machineType`. */
  nodeCpus: number;
  nodeMemoryGb: number;
  databaseTier: string;
}

export const TIER_SIZING: Record<PocTier, TierSizing> = {
  standard: {
    nodeCount: 1,
    machineType: 'e2-standard-2',
    nodeCpus: 2,
    nodeMemoryGb: 8,
    databaseTier: 'db-custom-1-3840',
  },
  professional: {
    nodeCount: 2,
    machineType: 'e2-standard-4',
    nodeCpus: 4,
    nodeMemoryGb: 16,
    databaseTier: 'db-custom-2-7680',
  },
  enterprise: {
    nodeCount: 3,
    machineType: 'e2-standard-8',
    nodeCpus: 8,
    nodeMemoryGb: 32,
    databaseTier: 'db-custom-4-15360',
  },
};

/** The modules accept at most this many nodes. */
const MAX_NODES = 10;

/**
 * Nodes for a tier and an optional allocation: the tier's minimum, or enough nodes of the
 * tier's machine type for the requested CPUs and memory (tier limits keep it within MAX_NODES).
 */
export function nodeCountFor(tier: PocTier, allocation?: ResourceAllocation): number {
  const s = TIER_SIZING[tier];
  if (!allocation) return s.nodeCount;
  const needed = Math.max(
    Math.ceil(allocation.cpu_cores / s.nodeCpus),
    Math.ceil(allocation.memory_gb / s.nodeMemoryGb),
  );
  return Math.min(MAX_NODES, Math.max(s.nodeCount, needed));
}

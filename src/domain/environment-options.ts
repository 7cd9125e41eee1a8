import type { PocTier } from './poc-tier';
import { nodeCountFor, TIER_SIZING } from './tier-sizing';
import type { ProvisionRequest } from './provision-request';
import type { DataResidencyRegion, NetworkIsolationLevel } from './request-vocabulary';

/** The cloud region of each data residency region. */
export const RESIDENCY_REGION: Record<DataResidencyRegion, string> = {
  us: 'us-central1',
  eu: 'europe-west1',
  uk: 'europe-west2',
  ca: 'northamerica-northeast1',
  apac: 'asia-southeast1',
};

/** Optional infrastructure of the modules (their `enabled_features` variable). */
export type InfraFeature = 'backups' | 'high_availability' | 'monitoring';

/**
 * The optional infrastructure each tier gets. Infrastructure follows the fields that shape it
 * (tier, monitoring_config), never the tenant's product features (enabled_features), which are
 * descriptive and reach the stack unchanged as `product_features`.
 */
export const TIER_INFRA_FEATURES: Record<PocTier, readonly InfraFeature[]> = {
  standard: [],
  professional: ['backups'],
  enterprise: ['backups', 'high_availability'],
};

/** Defaults of a request without security_config: EU residency, medium isolation, encrypted. */
export const DEFAULT_SECURITY = {
  data_residency_region: 'eu',
  network_isolation_level: 'medium',
  encryption_required: true,
} as const;

/** What the stack is given for a request: the one mapping from the API's words to the modules' variables. */
export interface EnvironmentOptions {
  region: string;
  nodeCount: number;
  machineType: string;
  databaseTier: string;
  networkIsolationLevel: NetworkIsolationLevel;
  encryptionRequired: boolean;
  /** Optional infrastructure, from the tier and monitoring_config only. */
  infraFeatures: InfraFeature[];
  /** The tenant's product features as requested (enabled_features), in request order. */
  productFeatures: string[];
}

export function environmentOptions(request: ProvisionRequest): EnvironmentOptions {
  const tier = request.poc_config.poc_tier;
  const security = request.security_config ?? DEFAULT_SECURITY;
  const infra: InfraFeature[] = [...TIER_INFRA_FEATURES[tier]];
  if (request.monitoring_config?.enabled) infra.push('monitoring');
  return {
    region: RESIDENCY_REGION[security.data_residency_region],
    nodeCount: nodeCountFor(tier, request.poc_config.resource_allocation),
    machineType: TIER_SIZING[tier].machineType,
    databaseTier: TIER_SIZING[tier].databaseTier,
    networkIsolationLevel: security.network_isolation_level,
    encryptionRequired: security.encryption_required,
    infraFeatures: infra,
    productFeatures: [...(request.poc_config.enabled_features ?? [])],
  };
}

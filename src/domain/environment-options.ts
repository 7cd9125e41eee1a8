import { nodeCountFor, TIER_SIZING } from './tier-sizing';
import type { ProvisionRequest } from './provision-request';
import type { DataResidencyRegion, NetworkIsolationLevel, PocFeature } from './request-vocabulary';

/** The cloud region of each data residency region. */
export const RESIDENCY_REGION: Record<DataResidencyRegion, string> = {
  us: 'us-central1',
  eu: 'europe-west1',
  uk: 'europe-west2',
  ca: 'northamerica-northeast1',
  apac: 'asia-southeast1',
};

/** Features that change the infrastructure (the modules' `enabled_features`); others are application-level. */
const INFRA_FEATURES: readonly PocFeature[] = ['backups', 'high_availability', 'monitoring'];

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
  enabledFeatures: PocFeature[];
}

export function environmentOptions(request: ProvisionRequest): EnvironmentOptions {
  const tier = request.poc_config.poc_tier;
  const security = request.security_config ?? DEFAULT_SECURITY;
  const features = new Set(request.poc_config.enabled_features ?? []);
  if (request.monitoring_config?.enabled) features.add('monitoring');
  return {
    region: RESIDENCY_REGION[security.data_residency_region],
    nodeCount: nodeCountFor(tier, request.poc_config.resource_allocation),
    machineType: TIER_SIZING[tier].machineType,
    databaseTier: TIER_SIZING[tier].databaseTier,
    networkIsolationLevel: security.network_isolation_level,
    encryptionRequired: security.encryption_required,
    enabledFeatures: INFRA_FEATURES.filter((f) => features.has(f)),
  };
}

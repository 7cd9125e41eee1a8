import type { PocTier, Priority } from './poc-tier';
import type { DataResidencyRegion, NetworkIsolationLevel } from './request-vocabulary';

/**
 * The provisioning request as the domain and the workflow see it: plain data, serializable,
 * validated and normalised at the HTTP boundary (normalize-request.ts). Fields added after the
 * first workflow versions are optional here, because runs started before them carry none.
 */
export interface ProvisionRequest {
  tenant_id: string;
  tenant_slug: string;
  company_info: CompanyInfo;
  poc_config: PocConfig;
  security_config?: SecurityConfig;
  integration_config?: IntegrationConfig;
  monitoring_config?: MonitoringConfig;
  priority: Priority;
}

export interface CompanyInfo {
  company_name: string;
  industry_vertical?: string;
  company_size?: string;
  headquarters_country?: string;
  contact_email?: string;
  contact_name?: string;
}

export interface PocConfig {
  poc_tier: PocTier;
  /** ISO-8601 instant after which the environment is destroyed. */
  expires_at: string;
  poc_duration_days?: number;
  /** The tenant's product features (descriptive values); they build no infrastructure. */
  enabled_features?: string[];
  resource_allocation?: ResourceAllocation;
}

/** What the tenant asks for, within its tier's limits (tier-limits.ts). */
export interface ResourceAllocation {
  cpu_cores: number;
  memory_gb: number;
  storage_gb: number;
  max_users: number;
}

export interface SecurityConfig {
  security_clearance?: string;
  data_residency_region: DataResidencyRegion;
  compliance_frameworks?: string[];
  network_isolation_level: NetworkIsolationLevel;
  encryption_required: boolean;
}

export interface IntegrationConfig {
  main_platform_integration?: boolean;
  allowed_data_connectors?: string[];
  crm_integration_enabled?: boolean;
}

export interface MonitoringConfig {
  enabled: boolean;
  detailed_monitoring?: boolean;
  alerting_enabled?: boolean;
  /** Days run artifacts and metrics are kept. */
  retention_days?: number;
}

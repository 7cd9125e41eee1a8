import type { PocTier, Priority } from './poc-tier';

/**
 * The provisioning request as the domain and the workflow see it: plain data, serializable,
 * already validated at the HTTP boundary.
 */
export interface ProvisionRequest {
  tenant_id: string;
  tenant_slug: string;
  company_info: CompanyInfo;
  poc_config: PocConfig;
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
}

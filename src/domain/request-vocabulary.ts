/** Where a tenant's data must live; each maps to one cloud region (residency.ts). */
export const DATA_RESIDENCY_REGIONS = ['us', 'eu', 'uk', 'ca', 'apac'] as const;
export type DataResidencyRegion = (typeof DATA_RESIDENCY_REGIONS)[number];

export const NETWORK_ISOLATION_LEVELS = ['low', 'medium', 'high'] as const;
export type NetworkIsolationLevel = (typeof NETWORK_ISOLATION_LEVELS)[number];

/** Features a POC can enable. Those with infrastructure behind them become tfvars (environment-options.ts). */
export const POC_FEATURES = [
  'analytics',
  'api_access',
  'sso',
  'audit_logging',
  'data_export',
  'custom_branding',
  'backups',
  'high_availability',
  'monitoring',
] as const;
export type PocFeature = (typeof POC_FEATURES)[number];

export const COMPANY_SIZES = ['1-10', '11-50', '51-200', '201-1000', '1001-5000', '5000+'] as const;

export const SECURITY_CLEARANCES = ['none', 'basic', 'confidential', 'secret'] as const;

export const COMPLIANCE_FRAMEWORKS = ['soc2', 'iso27001', 'gdpr', 'hipaa', 'pci_dss', 'fedramp'] as const;

export const DATA_CONNECTORS = [
  'postgres',
  'mysql',
  'bigquery',
  'snowflake',
  's3',
  'gcs',
  'salesforce',
  'hubspot',
] as const;

import type { FieldIssue } from './domain-error';

// Two kinds of request field (docs/api.md, "Request fields"):
// - fields that shape infrastructure take a closed vocabulary, checked at the API;
// - descriptive fields take any value of a safe shape (DESCRIPTIVE_VALUE); a configurable
//   catalogue of known values only decides what is logged as new, never what is built.

/** Where a tenant's data must live; each maps to one cloud region (environment-options.ts). */
export const DATA_RESIDENCY_REGIONS = ['us', 'eu', 'uk', 'ca', 'apac'] as const;
export type DataResidencyRegion = (typeof DATA_RESIDENCY_REGIONS)[number];

export const NETWORK_ISOLATION_LEVELS = ['low', 'medium', 'high'] as const;
export type NetworkIsolationLevel = (typeof NETWORK_ISOLATION_LEVELS)[number];

/**
 * The shape of every descriptive value: lowercase letters and digits first, then up to 62 more
 * of letters, digits and `_ . + -` (so "financial_services", "1-10", "5000+", "iso27001").
 * Safe in logs, labels, file names and JSON; no spaces, no control characters.
 */
export const DESCRIPTIVE_VALUE = /^[a-z0-9][a-z0-9_.+-]{0,62}$/;
export const DESCRIPTIVE_VALUE_RULE =
  'must be 1-63 characters: a lowercase letter or digit, then lowercase letters, digits, or _ . + -';

/** Most entries a descriptive list (enabled_features, compliance_frameworks, allowed_data_connectors) may have. */
export const MAX_DESCRIPTIVE_LIST = 32;

/** The descriptive fields, by their path in the request. */
export const DESCRIPTIVE_FIELDS = [
  'company_info.industry_vertical',
  'company_info.company_size',
  'security_config.security_clearance',
  'poc_config.enabled_features',
  'security_config.compliance_frameworks',
  'integration_config.allowed_data_connectors',
] as const;
export type DescriptiveField = (typeof DESCRIPTIVE_FIELDS)[number];

/** Known values of each descriptive field; configurable (KNOWN_* variables), these are the defaults. */
export type DescriptiveCatalogue = Record<DescriptiveField, readonly string[]>;

export const DEFAULT_CATALOGUE: DescriptiveCatalogue = {
  'company_info.industry_vertical': [
    'financial_services',
    'healthcare',
    'government',
    'technology',
    'retail',
    'manufacturing',
    'energy',
    'education',
    'telecommunications',
    'other',
  ],
  'company_info.company_size': [
    '1-10',
    '11-50',
    '51-200',
    '201-1000',
    '1001-5000',
    '5000+',
    'startup',
    'small',
    'medium',
    'large',
    'enterprise',
  ],
  'security_config.security_clearance': ['unclassified', 'none', 'basic', 'confidential', 'secret', 'top_secret'],
  'poc_config.enabled_features': [
    'threat_detection',
    'vulnerability_management',
    'email_security',
    'compliance_reporting',
    'incident_response',
    'analytics',
    'api_access',
    'sso',
    'audit_logging',
    'data_export',
    'custom_branding',
  ],
  'security_config.compliance_frameworks': ['soc2', 'iso27001', 'gdpr', 'hipaa', 'pci_dss', 'fedramp', 'nist'],
  'integration_config.allowed_data_connectors': [
    'splunk',
    'qradar',
    'sentinel',
    'elastic',
    'postgres',
    'mysql',
    'bigquery',
    'snowflake',
    's3',
    'gcs',
    'salesforce',
    'hubspot',
  ],
};

/** The descriptive values of a request, by field (absent fields give none). */
interface DescriptiveRequest {
  company_info: { industry_vertical?: string; company_size?: string };
  poc_config: { enabled_features?: string[] };
  security_config?: { security_clearance?: string; compliance_frameworks?: string[] };
  integration_config?: { allowed_data_connectors?: string[] };
}

function valuesOf(request: DescriptiveRequest, field: DescriptiveField): string[] {
  const one = (v: string | undefined) => (v === undefined ? [] : [v]);
  switch (field) {
    case 'company_info.industry_vertical':
      return one(request.company_info.industry_vertical);
    case 'company_info.company_size':
      return one(request.company_info.company_size);
    case 'security_config.security_clearance':
      return one(request.security_config?.security_clearance);
    case 'poc_config.enabled_features':
      return request.poc_config.enabled_features ?? [];
    case 'security_config.compliance_frameworks':
      return request.security_config?.compliance_frameworks ?? [];
    case 'integration_config.allowed_data_connectors':
      return request.integration_config?.allowed_data_connectors ?? [];
  }
}

/**
 * The descriptive values of a request that are not in the catalogue. They are accepted (their
 * shape was checked at the API); the gateway logs them so the catalogue can be completed.
 */
export function unknownDescriptiveValues(request: DescriptiveRequest, catalogue: DescriptiveCatalogue): FieldIssue[] {
  return DESCRIPTIVE_FIELDS.flatMap((field) =>
    valuesOf(request, field)
      .filter((v) => !catalogue[field].includes(v))
      .map((v) => ({ field, reason: `"${v}" is not in the known catalogue` })),
  );
}

import { randomUUID } from 'node:crypto';
import type { ProvisioningRequest } from './api-types';

/** What the signup backend's form collects (its own words, not the engine's). */
export interface SignupForm {
  /** The tenant's id in the signup backend, if it has one (a UUID); a new one otherwise. */
  tenantId?: string;
  companyName: string;
  contactName?: string;
  contactEmail: string;
  country?: string;
  industry?: string;
  companySize?: '1-10' | '11-50' | '51-200' | '201-1000' | '1001-5000' | '5000+';
  plan: 'trial' | 'team' | 'enterprise';
  region: 'us' | 'eu' | 'uk' | 'ca' | 'apac';
  trialDays?: number;
  features?: NonNullable<ProvisioningRequest['poc_config']['enabled_features']>;
  /** Signup id: retries of the same signup become the same job. */
  signupId?: string;
}

const PLAN_TIER = { trial: 'standard', team: 'professional', enterprise: 'enterprise' } as const;
const PLAN_PRIORITY = { trial: 'standard', team: 'high', enterprise: 'critical' } as const;

/**
 * A DNS label from a company name: lowercase ASCII letters, digits and single hyphens, at most
 * 63 characters, never empty (`tenant-<random>` when the name has no usable letters).
 */
export function tenantSlugFrom(companyName: string): string {
  const slug = companyName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/g, '');
  return slug.length > 0 ? slug : `tenant-${randomUUID().slice(0, 8)}`;
}

/** Turns a signup into a provisioning request: tier and priority from the plan, sensible security defaults. */
export function provisioningRequestFromSignup(form: SignupForm): ProvisioningRequest {
  return {
    tenant_id: form.tenantId ?? randomUUID(),
    tenant_slug: tenantSlugFrom(form.companyName),
    company_info: {
      company_name: form.companyName.trim(),
      contact_email: form.contactEmail.trim(),
      ...(form.contactName ? { contact_name: form.contactName.trim() } : {}),
      ...(form.country ? { headquarters_country: form.country.toUpperCase() } : {}),
      ...(form.industry ? { industry_vertical: form.industry } : {}),
      ...(form.companySize ? { company_size: form.companySize } : {}),
    },
    poc_config: {
      poc_tier: PLAN_TIER[form.plan],
      poc_duration_days: form.trialDays ?? 14,
      ...(form.features?.length ? { enabled_features: form.features } : {}),
    },
    security_config: {
      data_residency_region: form.region,
      network_isolation_level: form.plan === 'enterprise' ? 'high' : 'medium',
      encryption_required: true,
    },
    priority: PLAN_PRIORITY[form.plan],
    ...(form.signupId ? { request_id: `signup-${form.signupId}` } : {}),
  };
}

/**
 * The signup backend's form data under the seed's keys (what the seed's
 * ConvertSignupToProvisioningRequest reads), plus optional choices the form may make itself.
 */
export interface SignupData {
  company_name: string;
  industry_vertical?: string;
  company_size?: string;
  headquarters_country?: string;
  contact_email?: string;
  contact_name?: string;
  /** standard (default), professional, enterprise, ... */
  poc_tier?: string;
  poc_duration_days?: number;
  security_clearance?: string;
  /** default "us" */
  data_residency_region?: string;
  compliance_frameworks?: string[];
  allowed_data_connectors?: string[];
  /** The tenant's product features; the tier's defaults (defaultFeatures) when absent. */
  enabled_features?: string[];
  resource_allocation?: { cpu_cores: number; memory_gb: number; storage_gb: number; max_users: number };
  priority?: string;
  /** Signup id: the request_id becomes signup-<id>, so a retried signup is the same job. */
  signup_id?: string;
}

const BASE_FEATURES = [
  'threat_detection',
  'vulnerability_management',
  'compliance_reporting',
  'siem_analytics',
  'dashboards_reporting',
];
const ENTERPRISE_FEATURES = ['email_security', 'network_monitoring', 'identity_analytics', 'incident_response'];
const PREMIUM_FEATURES = [
  'soar_automation',
  'ai_ml_analytics',
  'custom_integrations',
  'advanced_reporting',
  'api_access',
];
const RETENTION_DAYS: Record<string, number> = { enterprise: 90, premium: 365 };
const DAY_MS = 24 * 3600_000;

/** The product features a tier's POC gets when the form names none (the seed's lists). */
export function defaultFeatures(tier: string): string[] {
  return [
    ...BASE_FEATURES,
    ...(tier === 'enterprise' || tier === 'premium' ? ENTERPRISE_FEATURES : []),
    ...(tier === 'premium' ? PREMIUM_FEATURES : []),
  ];
}

/**
 * The seed's ConvertSignupToProvisioningRequest (the Go client has the same, by the same rules,
 * listed in clients/README.md): company and security fields copied from the form; tier
 * "standard" by default; poc_duration_days also sets expires_at to now + that many days;
 * features the form's or the tier's defaults; network isolation high, encryption required,
 * main-platform and CRM integration on; monitoring with alerting, detailed above the standard
 * tier, retention by tier; priority the form's, else high for premium and standard otherwise;
 * request_id signup-<signup_id>, else a fresh UUID. Unlike the seed no resource_allocation is
 * invented (the engine sizes each tier and enforces its limits); the form's is passed through.
 */
export function convertSignupToProvisioningRequest(
  signup: SignupData,
  tenantId: string,
  tenantSlug: string,
  now: Date = new Date(),
): ProvisioningRequest {
  const tier = signup.poc_tier || 'standard';
  const days = signup.poc_duration_days;
  const pick = <K extends keyof SignupData>(keys: readonly K[]) =>
    Object.fromEntries(keys.filter((k) => signup[k] !== undefined && signup[k] !== '').map((k) => [k, signup[k]]));
  const request = {
    tenant_id: tenantId,
    tenant_slug: tenantSlug,
    company_info: pick([
      'company_name',
      'industry_vertical',
      'company_size',
      'headquarters_country',
      'contact_email',
      'contact_name',
    ] as const),
    poc_config: {
      poc_tier: tier,
      ...(days && days > 0
        ? { poc_duration_days: days, expires_at: new Date(now.getTime() + days * DAY_MS).toISOString() }
        : {}),
      enabled_features: signup.enabled_features ?? defaultFeatures(tier),
      ...(signup.resource_allocation ? { resource_allocation: signup.resource_allocation } : {}),
    },
    security_config: {
      ...pick(['security_clearance'] as const),
      data_residency_region: signup.data_residency_region || 'us',
      ...(signup.compliance_frameworks?.length ? { compliance_frameworks: signup.compliance_frameworks } : {}),
      network_isolation_level: 'high',
      encryption_required: true,
    },
    integration_config: {
      main_platform_integration: true,
      ...(signup.allowed_data_connectors?.length ? { allowed_data_connectors: signup.allowed_data_connectors } : {}),
      crm_integration_enabled: true,
    },
    monitoring_config: {
      enabled: true,
      detailed_monitoring: tier !== 'standard',
      alerting_enabled: true,
      retention_days: RETENTION_DAYS[tier] ?? 30,
    },
    request_id: signup.signup_id ? `signup-${signup.signup_id}` : randomUUID(),
    priority: signup.priority || (tier === 'premium' ? 'high' : 'standard'),
  };
  // The form speaks plain strings; the engine validates them against its vocabularies, which
  // the generated types may narrow or widen as docs/openapi.json changes.
  return request as unknown as ProvisioningRequest;
}

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
  features?: ProvisioningRequest['poc_config']['enabled_features'];
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

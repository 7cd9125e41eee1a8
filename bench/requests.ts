import { randomUUID } from 'node:crypto';
import type { ProvisionRequest } from '../src/domain/provision-request';

/** The body of a provisioning request for a new, unique tenant (what a signup backend sends). */
export function aSubmitBody(days = 14): Record<string, unknown> {
  const tenantId = randomUUID();
  return {
    tenant_id: tenantId,
    tenant_slug: `b-${tenantId.slice(0, 8)}`,
    company_info: { company_name: 'Bench Ltd', contact_email: 'poc@bench.example', headquarters_country: 'DE' },
    poc_config: { poc_tier: 'standard', poc_duration_days: days },
  };
}

/** A normalized request for a new, unique tenant, for runs started without the gateway. */
export function aProvisionRequest(expiresInMs: number): ProvisionRequest {
  const tenantId = randomUUID();
  return {
    tenant_id: tenantId,
    tenant_slug: `b-${tenantId.slice(0, 8)}`,
    company_info: { company_name: 'Bench Ltd', contact_email: 'poc@bench.example', headquarters_country: 'DE' },
    poc_config: { poc_tier: 'standard', expires_at: new Date(Date.now() + expiresInMs).toISOString() },
    priority: 'standard',
  };
}

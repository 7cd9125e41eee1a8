import { randomUUID } from 'node:crypto';
import type { ProvisionRequest } from '../../src/domain/provision-request';

/** A valid provisioning request for a new, unique tenant; `expiresInMs` from now. */
export function aProvisionRequest(
  opts: { expiresInMs?: number; tier?: ProvisionRequest['poc_config']['poc_tier'] } = {},
): ProvisionRequest {
  const tenantId = randomUUID();
  return {
    tenant_id: tenantId,
    tenant_slug: `t-${tenantId.slice(0, 8)}`,
    company_info: { company_name: 'Acme Test Ltd', contact_email: 'poc@acme.test', headquarters_country: 'DE' },
    poc_config: {
      poc_tier: opts.tier ?? 'standard',
      expires_at: new Date(Date.now() + (opts.expiresInMs ?? 3 * 24 * 3600 * 1000)).toISOString(),
    },
    priority: 'standard',
  };
}

/**
 * The tenants a caller may act for. `undefined` is an unscoped caller (every tenant); a list
 * limits every job and tenant the caller can see or steer to those tenants (ADR 0019).
 */
export type TenantSet = readonly string[] | undefined;

/** A tenant id as the API takes it (tenant_id is a UUID); kept lower-case, as Postgres answers it. */
const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isTenantId(value: unknown): value is string {
  return typeof value === 'string' && TENANT_ID.test(value);
}

/**
 * Reads a key's or a token's tenant list. Every id must be a UUID and the list must name at
 * least one: a scoped credential that names no tenant is a mistake, never "every tenant".
 * The problem names the position of a bad id, never the id (it is configuration, not a secret,
 * but a typo in a key entry may sit next to the key itself).
 */
export function parseTenantIds(ids: readonly unknown[]): { tenants: string[] } | { problem: string } {
  if (ids.length === 0) return { problem: 'names no tenant id' };
  const bad = ids.map((id, i) => (isTenantId(id) ? null : i + 1)).filter((i): i is number => i !== null);
  if (bad.length > 0) return { problem: `tenant id ${bad.join(', ')} is not a UUID` };
  return { tenants: [...new Set(ids.map((id) => (id as string).toLowerCase()))] };
}

/** Whether a caller with `tenants` may act for `tenantId`. */
export function mayActFor(tenants: TenantSet, tenantId: string): boolean {
  return tenants === undefined || tenants.includes(tenantId.toLowerCase());
}

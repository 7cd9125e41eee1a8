import { createHash } from 'node:crypto';

/**
 * The naming rule of terraform/modules/poc-names, for finding a tenant's resources by name (the
 * resources that take no labels: networks, subnetworks, firewall rules, routers, addresses).
 * test/static/poc-resource-names.test.ts keeps the two equal.
 */

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

/** `poc-<slug cut to 22, trailing hyphens trimmed>-<8 hex of sha1(lower(tenant_id))>`: the prefix of every name. */
export function pocNameBase(tenantId: string, tenantSlug: string): string {
  return `poc-${tenantSlug.slice(0, 22).replace(/-+$/, '')}-${sha1(tenantId.toLowerCase()).slice(0, 8)}`;
}

/** The suffixes modules/poc-names puts after the base (the database's carries 6 hex of its expiry). */
const SUFFIXES = [
  'vpc',
  'nodes',
  'router',
  'nat',
  'ingress',
  'gke',
  'db',
  'db-psc',
  'allow-internal',
  'allow-health-checks',
  'allow-iap-ssh',
  'allow-https',
  'allow-http',
  'deny-all-ingress',
];

/**
 * Whether `name` is one modules/poc-names gives a resource of the tenant whose base is `base`.
 * The whole suffix must match, so a longer slug that happens to start with the base is not taken.
 */
export function isPocResourceName(base: string, name: string): boolean {
  if (!name.startsWith(`${base}-`)) return false;
  const suffix = name.slice(base.length + 1);
  return SUFFIXES.includes(suffix) || /^db-[0-9a-f]{6}$/.test(suffix);
}

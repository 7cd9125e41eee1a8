import { createHash, timingSafeEqual } from 'node:crypto';
import { isScope, SCOPES, type Scope } from './scopes';
import { isTenantId, parseTenantIds } from './tenant-scope';

/** One configured API key. */
export interface ApiKeyEntry {
  /** Safe to log and to store as `requested_by`. */
  id: string;
  key: string;
  scopes: Scope[];
  /** The tenants the key may act for; absent: every tenant. */
  tenants?: string[];
}

/** The id of a key: a prefix of its SHA-256, enough to tell keys apart, useless to an attacker. */
export function apiKeyId(key: string): string {
  return `key:${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}

/** The form of an entry, for the messages. */
const FORM = 'key, key:scope+scope or key:scope+scope@tenant_id+tenant_id';

/** A tenant list put where only the scoped form takes it: `key@tenant` (no scopes). */
const TENANTS_WITHOUT_SCOPES = /@[0-9a-f-]{36}(\+[0-9a-f-]{36})*$/i;

/**
 * Parses PROVISIONING_API_KEYS: comma-separated entries, each `key` (every scope, every tenant),
 * `key:scope+scope` (those scopes, every tenant) or `key:scope+scope@tenant_id+tenant_id` (those
 * scopes, only those tenants' jobs; ADR 0019). Tenants are joined with `+` like scopes: a comma
 * starts the next key, so `key:read@t1,t2` would make `t2` a key with every scope. That mistake
 * is refused, as is a tenant list without scopes (`key@t1`), rather than read as a key.
 * Returns the entries and a problem per bad entry (the key itself is never echoed).
 */
export function parseApiKeys(raw: string): { entries: ApiKeyEntry[]; problems: string[] } {
  const entries: ApiKeyEntry[] = [];
  const problems: string[] = [];
  let previousScoped = false;
  raw
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e.length > 0)
    .forEach((entry, i) => {
      const problem = (what: string) => problems.push(`entry ${i + 1}: ${what}`);
      const colon = entry.lastIndexOf(':');
      const key = colon < 0 ? entry : entry.slice(0, colon);
      const grant = colon < 0 ? null : entry.slice(colon + 1);
      const at = grant === null ? -1 : grant.indexOf('@');
      const scopeList = grant === null ? [...SCOPES] : (at < 0 ? grant : grant.slice(0, at)).split('+');
      const tenantList = grant !== null && at >= 0 ? grant.slice(at + 1).split('+') : null;

      if (grant === null && previousScoped && isTenantId(entry)) {
        problem(`is a tenant id, not a key: join a key's tenants with "+" (${FORM})`);
      } else if (grant === null && TENANTS_WITHOUT_SCOPES.test(entry)) {
        problem(`a tenant list needs the scopes before it (${FORM})`);
      } else if (key.length < 16) {
        problem('the key must be at least 16 characters');
      }
      const unknown = scopeList.filter((s) => !isScope(s));
      if (unknown.length > 0 || scopeList.length === 0) {
        problem(`unknown scope(s) ${unknown.join(', ') || '(none)'}; use ${SCOPES.join(', ')}`);
      }
      let tenants: string[] | undefined;
      if (tenantList !== null) {
        const parsed = parseTenantIds(tenantList.join('') === '' ? [] : tenantList);
        if ('problem' in parsed) problem(`its tenant list ${parsed.problem} (${FORM})`);
        else tenants = parsed.tenants;
      }
      previousScoped = tenantList !== null;
      entries.push({ id: apiKeyId(key), key, scopes: scopeList.filter(isScope), ...(tenants ? { tenants } : {}) });
    });
  return { entries, problems };
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Finds the configured key a caller presented, in constant time. */
export class ApiKeyMatcher {
  private readonly keys: Array<ApiKeyEntry & { digest: Buffer }>;

  constructor(entries: readonly ApiKeyEntry[]) {
    this.keys = entries.map((k) => ({ ...k, digest: digest(k.key) }));
  }

  match(presented: string): ApiKeyEntry | null {
    const d = digest(presented);
    // Compare against every key so timing does not reveal which one matched.
    return this.keys.reduce<ApiKeyEntry | null>((m, k) => (timingSafeEqual(k.digest, d) ? k : m), null);
  }
}

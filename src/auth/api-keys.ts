import { createHash, timingSafeEqual } from 'node:crypto';
import { isScope, SCOPES, type Scope } from './scopes';

/** One configured API key. */
export interface ApiKeyEntry {
  /** Safe to log and to store as `requested_by`. */
  id: string;
  key: string;
  scopes: Scope[];
}

/** The id of a key: a prefix of its SHA-256, enough to tell keys apart, useless to an attacker. */
export function apiKeyId(key: string): string {
  return `key:${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}

/**
 * Parses PROVISIONING_API_KEYS: comma-separated `key` (every scope) or `key:scope+scope`.
 * Returns the entries and a problem per bad entry (the key itself is never echoed).
 */
export function parseApiKeys(raw: string): { entries: ApiKeyEntry[]; problems: string[] } {
  const entries: ApiKeyEntry[] = [];
  const problems: string[] = [];
  raw
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e.length > 0)
    .forEach((entry, i) => {
      const colon = entry.lastIndexOf(':');
      const key = colon < 0 ? entry : entry.slice(0, colon);
      const scopeList = colon < 0 ? [...SCOPES] : entry.slice(colon + 1).split('+');
      const unknown = scopeList.filter((s) => !isScope(s));
      if (key.length < 16) problems.push(`entry ${i + 1}: the key must be at least 16 characters`);
      if (unknown.length > 0 || scopeList.length === 0) {
        problems.push(`entry ${i + 1}: unknown scope(s) ${unknown.join(', ') || '(none)'}; use ${SCOPES.join(', ')}`);
      }
      entries.push({ id: apiKeyId(key), key, scopes: scopeList.filter(isScope) });
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

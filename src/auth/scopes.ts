/**
 * What a caller may do. `provision` submits and steers jobs, `read` sees them, `credentials`
 * reads an environment's credentials, `admin` may do everything.
 */
export const SCOPES = ['provision', 'read', 'credentials', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(s: string): s is Scope {
  return (SCOPES as readonly string[]).includes(s);
}

/** Whether `granted` allows what `needed` asks; admin allows everything. */
export function allows(granted: readonly Scope[], needed: Scope): boolean {
  return granted.includes('admin') || granted.includes(needed);
}

/** Who is calling, as the guard established it. */
export interface Principal {
  /** `key:<first 12 hex of the key's SHA-256>` or `jwt:<subject>`: never the secret itself. */
  id: string;
  scopes: Scope[];
  /** The tenants the caller may act for; absent: every tenant (an unscoped key or token). */
  tenants?: readonly string[];
}

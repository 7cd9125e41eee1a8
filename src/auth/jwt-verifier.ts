import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { textProblem } from '../validation/storable-text';
import { isScope, type Principal } from './scopes';
import { parseTenantIds } from './tenant-scope';

/** What the gateway needs to verify service JWTs (see AppConfig.auth.jwt). */
export interface JwtVerifierOptions {
  issuer: string;
  audience: string;
  secret?: string;
  jwksUrl?: string;
  /** Longest accepted lifetime (exp - iat) and age (now - iat), seconds. */
  maxLifetimeSeconds: number;
  /** Clock difference tolerated between the issuer and the gateway, seconds. */
  clockSkewSeconds: number;
}

/**
 * A verified token's principal, or why it was refused. The reason names the rule, never the
 * token, the secret or the claim values, so it may go into the 401 answer.
 */
export type JwtVerdict = { ok: true; principal: Principal } | { ok: false; reason: string };

/** The claims a token must carry: without them it would never expire, or could not be attributed. */
const REQUIRED_CLAIMS = ['exp', 'iat', 'sub'] as const;

/**
 * Verifies service-to-service JWTs: signature (HS256 secret or JWKS), issuer, audience, the
 * required claims exp, iat and sub, expiry, and that the token is neither issued in the future
 * nor older or longer-lived than the configured maximum (each with the clock skew allowed).
 */
export class JwtVerifier {
  private readonly key: Parameters<typeof jwtVerify>[1];

  constructor(private readonly opts: JwtVerifierOptions) {
    this.key = opts.jwksUrl ? createRemoteJWKSet(new URL(opts.jwksUrl)) : new TextEncoder().encode(opts.secret ?? '');
  }

  /** The token's principal, or the reason it is refused. `now` is for tests. */
  async verify(token: string, now: Date = new Date()): Promise<JwtVerdict> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key as Uint8Array, {
        issuer: this.opts.issuer,
        audience: this.opts.audience,
        algorithms: this.opts.jwksUrl ? ['RS256', 'ES256', 'EdDSA'] : ['HS256'],
        requiredClaims: [...REQUIRED_CLAIMS],
        clockTolerance: this.opts.clockSkewSeconds,
        currentDate: now,
      }));
    } catch (e) {
      return { ok: false, reason: refusalOf(e) };
    }
    const timing = timingProblem(payload, now, this.opts);
    if (timing) return { ok: false, reason: timing };
    const subjectProblem = subjectProblemOf(payload.sub);
    if (subjectProblem) return { ok: false, reason: subjectProblem };
    const tenants = tenantsOf(payload);
    if (tenants && 'problem' in tenants) return { ok: false, reason: `its "tenants" claim ${tenants.problem}` };
    return {
      ok: true,
      principal: {
        id: `jwt:${payload.sub as string}`,
        scopes: scopesOf(payload),
        ...(tenants ? { tenants: tenants.tenants } : {}),
      },
    };
  }
}

/**
 * The longest `sub` accepted, in characters: the principal id `jwt:<sub>` is stored whole
 * (requested_by, the audit, varchar 64), so two subjects never share an id by being cut.
 */
export const MAX_SUBJECT_CHARS = 60;

/**
 * Why a verified token's subject is refused, or null. The subject is the caller's identity in the
 * audit and the rate limit: it must be a non-empty string (JSON allows any value there) that
 * Postgres can store and that fits whole.
 */
function subjectProblemOf(sub: unknown): string | null {
  if (typeof sub !== 'string') return 'its "sub" claim is not a string';
  if (sub.length === 0) return 'its "sub" claim is empty';
  if (Array.from(sub).length > MAX_SUBJECT_CHARS)
    return `its "sub" claim is longer than ${MAX_SUBJECT_CHARS} characters`;
  if (textProblem(sub, 'strict')) return 'its "sub" claim is not storable text';
  return null;
}

/**
 * Why a verified token's times are refused, or null: issued in the future, older than the
 * maximum, or valid for longer than the maximum. Exported for tests.
 */
export function timingProblem(
  payload: JWTPayload,
  now: Date,
  limits: Pick<JwtVerifierOptions, 'maxLifetimeSeconds' | 'clockSkewSeconds'>,
): string | null {
  const { iat, exp } = payload;
  if (typeof iat !== 'number' || typeof exp !== 'number') return 'it lacks a numeric "iat" or "exp" claim';
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (iat > nowSeconds + limits.clockSkewSeconds) return 'it is issued in the future ("iat")';
  if (nowSeconds - iat > limits.maxLifetimeSeconds + limits.clockSkewSeconds) {
    return `it is older than ${limits.maxLifetimeSeconds} seconds ("iat")`;
  }
  if (exp - iat > limits.maxLifetimeSeconds) {
    return `its lifetime ("exp" - "iat") exceeds ${limits.maxLifetimeSeconds} seconds`;
  }
  return null;
}

/** The refusal reason of a jose error; signature, issuer and audience failures share one. */
function refusalOf(e: unknown): string {
  if (e instanceof errors.JWTExpired) return 'it has expired ("exp")';
  if (
    e instanceof errors.JWTClaimValidationFailed &&
    e.reason === 'missing' &&
    (REQUIRED_CLAIMS as readonly string[]).includes(e.claim)
  ) {
    return `it has no "${e.claim}" claim`;
  }
  if (e instanceof errors.JWTClaimValidationFailed && e.claim === 'iat') return 'its "iat" claim is not a time';
  return 'it does not verify (signature, algorithm, issuer or audience)';
}

/**
 * The `tenants` claim: absent for an unscoped token (every tenant), else a non-empty list of
 * tenant ids (UUIDs) the token may act for (ADR 0019). A claim of another shape refuses the token:
 * reading it as "no limit" would widen what its issuer meant to grant.
 */
function tenantsOf(payload: JWTPayload): { tenants: string[] } | { problem: string } | undefined {
  if (payload.tenants === undefined) return undefined;
  if (!Array.isArray(payload.tenants)) return { problem: 'is not a list of tenant ids' };
  return parseTenantIds(payload.tenants as unknown[]);
}

/** Scopes from the `scope` claim (space-separated, OAuth 2) or `scp` (a list). */
function scopesOf(payload: JWTPayload): Principal['scopes'] {
  const raw =
    typeof payload.scope === 'string' ? payload.scope.split(' ') : Array.isArray(payload.scp) ? payload.scp : [];
  return raw.filter((s): s is string => typeof s === 'string').filter(isScope);
}

import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { textProblem } from '../validation/storable-text';
import { isScope, type Principal } from './scopes';

/** Verifies service-to-service JWTs: signature (HS256 secret or JWKS), issuer, audience, expiry. */
export class JwtVerifier {
  private readonly key: Parameters<typeof jwtVerify>[1];

  constructor(private readonly opts: { issuer: string; audience: string; secret?: string; jwksUrl?: string }) {
    this.key = opts.jwksUrl ? createRemoteJWKSet(new URL(opts.jwksUrl)) : new TextEncoder().encode(opts.secret ?? '');
  }

  /** The token's principal, or null when it does not verify (the reason is not the caller's business). */
  async verify(token: string): Promise<Principal | null> {
    try {
      const { payload } = await jwtVerify(token, this.key as Uint8Array, {
        issuer: this.opts.issuer,
        audience: this.opts.audience,
        algorithms: this.opts.jwksUrl ? ['RS256', 'ES256', 'EdDSA'] : ['HS256'],
      });
      // The subject is stored (requested_by, the credential-read audit, varchar 64): one that
      // cannot be stored as text is no identity. Cut by code points, never inside a pair.
      if (!payload.sub || textProblem(payload.sub, 'strict')) return null;
      return { id: Array.from(`jwt:${payload.sub}`).slice(0, 64).join(''), scopes: scopesOf(payload) };
    } catch {
      return null;
    }
  }
}

/** Scopes from the `scope` claim (space-separated, OAuth 2) or `scp` (a list). */
function scopesOf(payload: JWTPayload): Principal['scopes'] {
  const raw =
    typeof payload.scope === 'string' ? payload.scope.split(' ') : Array.isArray(payload.scp) ? payload.scp : [];
  return raw.filter((s): s is string => typeof s === 'string').filter(isScope);
}

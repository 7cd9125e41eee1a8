import type { Request, Response } from 'express';
import type { AppConfig } from '../config/app-config';
import { DomainError } from '../domain/domain-error';
import { ApiKeyMatcher } from './api-keys';
import type { FailedAuthLimiter } from './failed-auth-limiter';
import { JwtVerifier } from './jwt-verifier';
import { allows, type Principal, type Scope } from './scopes';

/** Reads the credential from `Authorization: Bearer <key or JWT>` or `X-API-Key: <key>`. */
export function presentedApiKey(req: Pick<Request, 'headers'>): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim();
  const header = req.headers['x-api-key'];
  return typeof header === 'string' && header.length > 0 ? header.trim() : undefined;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * The one place that establishes who calls, for the API's guard and the codec endpoints alike:
 * an API key from PROVISIONING_API_KEYS (compared in constant time) or a service JWT when
 * configured. With a limiter, an address that failed too often is refused (429, Retry-After)
 * before any comparison, and each failure is counted.
 */
export class Authenticator {
  private readonly keys: ApiKeyMatcher;
  private readonly jwt?: JwtVerifier;

  constructor(
    config: Pick<AppConfig, 'auth'>,
    private readonly failures: FailedAuthLimiter | null = null,
  ) {
    this.keys = new ApiKeyMatcher(config.auth.apiKeys);
    if (config.auth.jwt) this.jwt = new JwtVerifier(config.auth.jwt);
  }

  /** The caller's principal; throws RATE_LIMITED or UNAUTHENTICATED (naming the rule broken). */
  async authenticate(req: Pick<Request, 'headers' | 'ip'>, res?: Pick<Response, 'setHeader'>): Promise<Principal> {
    const address = req.ip ?? 'unknown';
    const wait = (await this.failures?.retryAfterSeconds(address)) ?? 0;
    if (wait > 0) {
      res?.setHeader('Retry-After', String(wait));
      throw new DomainError('RATE_LIMITED', 'Too many failed authentication attempts from this address', [], {
        retry_after_seconds: wait,
      });
    }
    const credential = presentedApiKey(req);
    if (credential === undefined) {
      throw new DomainError('UNAUTHENTICATED', 'An API key is required (Authorization: Bearer <key> or X-API-Key)');
    }
    try {
      return this.byKey(credential) ?? (await this.byJwt(credential));
    } catch (e) {
      if (e instanceof DomainError && e.code === 'UNAUTHENTICATED') await this.failures?.recordFailure(address);
      throw e;
    }
  }

  private byKey(key: string): Principal | null {
    const match = this.keys.match(key);
    return match ? { id: match.id, scopes: match.scopes, ...(match.tenants ? { tenants: match.tenants } : {}) } : null;
  }

  /** The JWT's principal; throws UNAUTHENTICATED naming the rule a refused token broke. */
  private async byJwt(token: string): Promise<Principal> {
    if (!this.jwt || !JWT_SHAPE.test(token)) throw new DomainError('UNAUTHENTICATED', 'The API key is not valid');
    const verdict = await this.jwt.verify(token);
    if (!verdict.ok) throw new DomainError('UNAUTHENTICATED', `The service token is refused: ${verdict.reason}`);
    return verdict.principal;
  }
}

/** Throws FORBIDDEN unless the principal holds `needed` (admin holds every scope). */
export function requireScope(principal: Principal, needed: Scope): void {
  if (!allows(principal.scopes, needed)) {
    throw new DomainError('FORBIDDEN', `This key lacks the "${needed}" scope`, [], { required_scope: needed });
  }
}

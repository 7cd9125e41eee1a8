import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DomainError } from '../domain/domain-error';
import { ApiKeyMatcher } from './api-keys';
import { JwtVerifier } from './jwt-verifier';
import type { AuthenticatedRequest } from './principal.decorator';
import { IS_PUBLIC } from './public.decorator';
import { REQUIRED_SCOPE } from './require-scope.decorator';
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
 * Establishes who calls (an API key from PROVISIONING_API_KEYS, compared in constant time, or
 * a service JWT when configured) and whether they hold the route's scope (`read` by default).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly keys: ApiKeyMatcher;
  private readonly jwt?: JwtVerifier;

  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.keys = new ApiKeyMatcher(config.auth.apiKeys);
    if (config.auth.jwt) this.jwt = new JwtVerifier(config.auth.jwt);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const credential = presentedApiKey(req);
    if (credential === undefined) {
      throw new DomainError('UNAUTHENTICATED', 'An API key is required (Authorization: Bearer <key> or X-API-Key)');
    }
    const principal = this.byKey(credential) ?? (await this.byJwt(credential));
    const needed = this.reflector.getAllAndOverride<Scope | undefined>(REQUIRED_SCOPE, targets) ?? 'read';
    if (!allows(principal.scopes, needed)) {
      throw new DomainError('FORBIDDEN', `This key lacks the "${needed}" scope`, [], { required_scope: needed });
    }
    req.principal = principal;
    return true;
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

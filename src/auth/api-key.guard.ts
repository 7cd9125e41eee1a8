import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DomainError } from '../domain/domain-error';
import { IS_PUBLIC } from './public.decorator';

/** Reads the key from `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
export function presentedApiKey(req: Pick<Request, 'headers'>): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim();
  const header = req.headers['x-api-key'];
  return typeof header === 'string' && header.length > 0 ? header.trim() : undefined;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Admits requests that present one of PROVISIONING_API_KEYS; compares in constant time. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keyDigests: Buffer[];

  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.keyDigests = config.auth.apiKeys.map(digest);
  }

  canActivate(context: ExecutionContext): boolean {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const key = presentedApiKey(context.switchToHttp().getRequest<Request>());
    if (key === undefined) {
      throw new DomainError('UNAUTHENTICATED', 'An API key is required (Authorization: Bearer <key> or X-API-Key)');
    }
    const presented = digest(key);
    // Compare against every key so timing does not reveal which one matched.
    const match = this.keyDigests.reduce((ok, d) => timingSafeEqual(d, presented) || ok, false);
    if (!match) throw new DomainError('UNAUTHENTICATED', 'The API key is not valid');
    return true;
  }
}

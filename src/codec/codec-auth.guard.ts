import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { presentedApiKey } from '../auth/auth.guard';
import { allows } from '../auth/scopes';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DomainError } from '../domain/domain-error';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * The codec endpoints decrypt tenant data, so they take an API key with the credentials scope, unless
 * CODEC_AUTH=none (a local dev stack, whose Web UI has no login to pass on).
 */
@Injectable()
export class CodecAuthGuard implements CanActivate {
  private readonly keyDigests: Buffer[];
  private readonly required: boolean;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    // Decoded payloads carry tenants' contact details: only keys that may read credentials.
    this.keyDigests = config.auth.apiKeys.filter((k) => allows(k.scopes, 'credentials')).map((k) => digest(k.key));
    this.required = config.codec.requireApiKey;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.required) return true;
    const key = presentedApiKey(context.switchToHttp().getRequest<Request>());
    if (key === undefined) throw new DomainError('UNAUTHENTICATED', 'The codec endpoints need an API key');
    const presented = digest(key);
    const match = this.keyDigests.reduce((ok, d) => timingSafeEqual(d, presented) || ok, false);
    if (!match) throw new DomainError('UNAUTHENTICATED', 'The API key is not valid');
    return true;
  }
}

import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { presentedApiKey } from '../auth/auth.guard';
import { ApiKeyMatcher } from '../auth/api-keys';
import { allows } from '../auth/scopes';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DomainError } from '../domain/domain-error';

/**
 * The codec endpoints decrypt tenant data, so they take an API key with the credentials scope, unless
 * CODEC_AUTH=none (a local dev stack, whose Web UI has no login to pass on).
 */
@Injectable()
export class CodecAuthGuard implements CanActivate {
  private readonly keys: ApiKeyMatcher;
  private readonly required: boolean;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.keys = new ApiKeyMatcher(config.auth.apiKeys);
    this.required = config.codec.requireApiKey;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.required) return true;
    const key = presentedApiKey(context.switchToHttp().getRequest<Request>());
    if (key === undefined) throw new DomainError('UNAUTHENTICATED', 'The codec endpoints need an API key');
    // Decoded payloads carry tenants' contact details: only keys that may read credentials.
    const match = this.keys.match(key);
    if (!match || !allows(match.scopes, 'credentials'))
      throw new DomainError('UNAUTHENTICATED', 'The API key is not valid');
    // A payload does not say whose it is: a key limited to some tenants could read every
    // tenant's through the codec, so only unscoped keys may use it (ADR 0019).
    if (match.tenants) {
      throw new DomainError('FORBIDDEN', 'A key limited to some tenants cannot use the codec endpoints');
    }
    return true;
  }
}

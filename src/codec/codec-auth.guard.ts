import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Response } from 'express';
import { Authenticator, requireScope } from '../auth/authenticator';
import type { AuthenticatedRequest } from '../auth/principal.decorator';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DomainError } from '../domain/domain-error';

/**
 * The codec endpoints decrypt tenant data, so they take the API's credentials (an API key or a
 * service JWT, through the same Authenticator) holding the credentials scope: 401 without a
 * valid one, 403 without the scope. CODEC_AUTH=none turns this off (never in a shared stack).
 */
@Injectable()
export class CodecAuthGuard implements CanActivate {
  private readonly required: boolean;

  constructor(
    private readonly authenticator: Authenticator,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.required = config.codec.requireApiKey;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.required) return true;
    const http = context.switchToHttp();
    const req = http.getRequest<AuthenticatedRequest>();
    const principal = await this.authenticator.authenticate(req, http.getResponse<Response>());
    // Decoded payloads carry tenants' contact details: only callers that may read credentials.
    requireScope(principal, 'credentials');
    req.principal = principal;
    // A payload does not say whose it is: a caller limited to some tenants could read every
    // tenant's through the codec, so only callers without a tenant limit may use it (ADR 0019).
    if (principal.tenants) {
      throw new DomainError('FORBIDDEN', 'A key limited to some tenants cannot use the codec endpoints');
    }
    return true;
  }
}

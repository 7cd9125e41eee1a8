import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal } from './scopes';

/** The request's authenticated caller (set by the auth guard). */
export type AuthenticatedRequest = Request & { principal?: Principal };

/** Injects the authenticated caller into a controller method. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal | undefined =>
    ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal,
);

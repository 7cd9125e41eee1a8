import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Response } from 'express';
import { REQUEST_ID_HEADER } from './request-id';

/**
 * Injects the request id the response carries (X-Request-Id, set by requestContext: the
 * caller's when short and plain, else a new UUID), or null outside that middleware. Audits store
 * this id, never the raw request header, so a record always matches an answer and its log lines.
 */
export const AnsweredRequestId = createParamDecorator((_data: unknown, ctx: ExecutionContext): string | null => {
  const answered = ctx.switchToHttp().getResponse<Response>().getHeader(REQUEST_ID_HEADER);
  return typeof answered === 'string' ? answered : null;
});

import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { tap, type Observable } from 'rxjs';
import { boundedText } from './bounded-text';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Where a request's job fields wait for the request-completed log line (pino-http customProps). */
export const JOB_LOG_FIELDS = 'jobLogFields';

/** The job fields gathered on a response, for the request-completed line. */
export function jobLogFieldsOf(res: { locals?: Record<string, unknown> }): Record<string, string> {
  return (res.locals?.[JOB_LOG_FIELDS] as Record<string, string> | undefined) ?? {};
}

/**
 * Puts the job a request is about on the request's log lines: the tenant slug of a submitted
 * request and a job id from the path before the handler runs, the job id of an accepted request
 * on the request-completed line.
 */
@Injectable()
export class JobLogContextInterceptor implements NestInterceptor {
  constructor(private readonly logger: PinoLogger) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const fields: Record<string, string> = {};
    const body = req.body as { tenant_slug?: unknown } | undefined;
    // Not validated yet (interceptors run before pipes): bounded, like every input that is logged.
    if (typeof body?.tenant_slug === 'string') fields.tenant_slug = boundedText(body.tenant_slug);
    if (typeof req.params?.job_id === 'string') fields.job_id = boundedText(req.params.job_id);
    this.remember(res, fields);
    // A read's answer adds no job to a logged line (a successful read writes none; a failed one
    // ends in the exception filter, not here): no tap for reads, such as probes and status polls.
    if (READ_METHODS.has(req.method)) return next.handle();
    return next.handle().pipe(
      tap((result) => {
        const jobId = (result as { job_id?: unknown } | undefined)?.job_id;
        if (typeof jobId === 'string') this.remember(res, { job_id: jobId });
      }),
    );
  }

  private remember(res: Response, fields: Record<string, string>): void {
    if (Object.keys(fields).length === 0) return;
    res.locals[JOB_LOG_FIELDS] = { ...jobLogFieldsOf(res), ...fields };
    this.logger.assign(fields);
  }
}

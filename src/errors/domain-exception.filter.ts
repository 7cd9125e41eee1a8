import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, type DomainErrorCode, type FieldIssue } from '../domain/domain-error';
import { boundedText } from '../logging/bounded-text';
import type { ErrorResponseBody } from './error-response';

/** The single place where a domain error code becomes an HTTP status. */
export const HTTP_STATUS_OF: Record<DomainErrorCode, number> = {
  VALIDATION_FAILED: HttpStatus.BAD_REQUEST,
  UNAUTHENTICATED: HttpStatus.UNAUTHORIZED,
  FORBIDDEN: HttpStatus.FORBIDDEN,
  RATE_LIMITED: HttpStatus.TOO_MANY_REQUESTS,
  IDEMPOTENCY_KEY_REUSED: HttpStatus.UNPROCESSABLE_ENTITY,
  INVALID_STATE: HttpStatus.CONFLICT,
  JOB_NOT_FOUND: HttpStatus.NOT_FOUND,
  ENVIRONMENT_ALREADY_ACTIVE: HttpStatus.CONFLICT,
  TENANT_SLUG_TAKEN: HttpStatus.CONFLICT,
  CREDENTIALS_NOT_AVAILABLE: HttpStatus.CONFLICT,
  DEPENDENCY_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
  WORKSPACE_MISSING: HttpStatus.INTERNAL_SERVER_ERROR,
  TOFU_CONFIGURATION_INVALID: HttpStatus.INTERNAL_SERVER_ERROR,
  TOFU_RESOURCE_FAILED: HttpStatus.INTERNAL_SERVER_ERROR,
  TOFU_TRANSIENT: HttpStatus.SERVICE_UNAVAILABLE,
  TOFU_STATE_LOCKED: HttpStatus.SERVICE_UNAVAILABLE,
  TOFU_QUOTA_EXCEEDED: HttpStatus.INTERNAL_SERVER_ERROR,
  RESOURCE_OWNED_BY_ANOTHER_TENANT: HttpStatus.CONFLICT,
  UNSAVED_STATE_KEPT: HttpStatus.INTERNAL_SERVER_ERROR,
  STATE_STILL_TRACKS_RESOURCES: HttpStatus.CONFLICT,
  NOTIFY_TRANSIENT: HttpStatus.BAD_GATEWAY,
  NOTIFY_REJECTED: HttpStatus.BAD_GATEWAY,
  DATA_REJECTED: HttpStatus.BAD_REQUEST,
  INTERNAL: HttpStatus.INTERNAL_SERVER_ERROR,
};

/** Framework and body-parser errors that carry an HTTP status of their own. */
interface StatusBearingError {
  status?: number;
  statusCode?: number;
  type?: string;
  message?: string;
}

/** Maps every error to the API's one error shape; hides internals of unexpected failures. */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const [status, body] = this.toResponse(exception);
    if (status >= 500) this.logger.error(describe(exception));
    res.status(status).json(body);
  }

  private toResponse(exception: unknown): [number, ErrorResponseBody] {
    if (exception instanceof DomainError) {
      const status = HTTP_STATUS_OF[exception.code];
      const message = status >= 500 && exception.code === 'INTERNAL' ? 'Internal error' : exception.message;
      return [
        status,
        {
          success: false,
          error: { code: exception.code, message, details: exception.details, ...exception.context },
        },
      ];
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      // Nest's own messages may quote the path ("Cannot GET /…"): bounded like any echoed input.
      return [status, httpError(status, boundedText(exception.message))];
    }
    const bodyParser = exception as StatusBearingError;
    const status = bodyParser?.status ?? bodyParser?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // The parser's own message quotes the body (Node's JSON.parse does): never echoed.
      if (bodyParser.type === 'entity.parse.failed') {
        return [
          status,
          httpError(status, 'Request body is not valid JSON', [{ field: 'body', reason: 'is not valid JSON' }]),
        ];
      }
      return [status, httpError(status, boundedText(bodyParser.message ?? `Request refused (${status})`))];
    }
    return [
      HttpStatus.INTERNAL_SERVER_ERROR,
      { success: false, error: { code: 'INTERNAL', message: 'Internal error', details: [] } },
    ];
  }
}

function httpError(status: number, message: string, details: FieldIssue[] = []): ErrorResponseBody {
  const code =
    status === 404
      ? 'NOT_FOUND'
      : status === 413
        ? 'PAYLOAD_TOO_LARGE'
        : status === 400
          ? 'BAD_REQUEST'
          : status === 401
            ? 'UNAUTHENTICATED'
            : status === 429
              ? 'RATE_LIMITED'
              : 'HTTP_ERROR';
  return { success: false, error: { code, message, details } };
}

/** The error for the log: its message bounded (it may quote input), then its stack. */
function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${boundedText(e.message)}\n${e.stack ?? ''}` : boundedText(String(e));
}

import type { DomainErrorCode, FieldIssue } from '../domain/domain-error';

/** The one JSON shape of every 4xx and 5xx answer. */
export interface ErrorResponseBody {
  success: false;
  error: {
    code: DomainErrorCode | 'NOT_FOUND' | 'BAD_REQUEST' | 'PAYLOAD_TOO_LARGE' | 'HTTP_ERROR';
    message: string;
    details: FieldIssue[];
    [extra: string]: unknown;
  };
}

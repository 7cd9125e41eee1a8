import type { ApiErrorBody } from './api-types';

/** The API answered with an error (4xx, or 5xx after the retries). */
export class ProvisioningApiError extends Error {
  override readonly name = 'ProvisioningApiError';

  constructor(
    readonly httpStatus: number,
    readonly code: string,
    message: string,
    readonly details: Array<{ field: string; reason: string }>,
    /** Extra fields of the error (e.g. job_id of the live job on a 409). */
    readonly context: Record<string, unknown>,
  ) {
    super(message);
  }

  static fromBody(status: number, body: unknown): ProvisioningApiError {
    const e = (body as Partial<ApiErrorBody> | undefined)?.error;
    if (!e || typeof e.code !== 'string') {
      return new ProvisioningApiError(status, `HTTP_${status}`, `HTTP ${status}`, [], {});
    }
    const { code, message, details, ...context } = e;
    return new ProvisioningApiError(status, code, message, details ?? [], context);
  }
}

/** The API could not be reached (after the retries). */
export class ProvisioningNetworkError extends Error {
  override readonly name = 'ProvisioningNetworkError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** waitForCompletion reached its deadline; `last` is the last status seen. */
export class WaitDeadlineExceededError extends Error {
  override readonly name = 'WaitDeadlineExceededError';

  constructor(
    readonly jobId: string,
    readonly last: { status: string; progress_percent: number } | null,
  ) {
    super(`job ${jobId} did not finish before the deadline (last status ${last?.status ?? 'unknown'})`);
  }
}

import { ApplicationFailure, Context } from '@temporalio/activity';
import { DomainError, type DomainErrorCode } from '../src/domain/domain-error';
import { TofuCancelledError } from './tofu/run-tofu-verb';

/** Domain failures worth retrying; every other coded failure is permanent. */
const RETRYABLE: ReadonlySet<DomainErrorCode> = new Set([
  'TOFU_TRANSIENT',
  'TOFU_STATE_LOCKED',
  'NOTIFY_TRANSIENT',
  'DEPENDENCY_UNAVAILABLE',
  'WORKSPACE_MISSING',
]);

/**
 * The single place where an activity's error becomes what Temporal sees: a coded
 * ApplicationFailure (retryable or not), a cancellation, or, for unexpected errors, the
 * error itself (retried under the activity's retry policy).
 */
export function toActivityFailure(err: unknown): unknown {
  if (err instanceof TofuCancelledError) {
    return Context.current().cancellationSignal.reason ?? err;
  }
  if (err instanceof DomainError) {
    return ApplicationFailure.create({
      type: err.code,
      message: err.message,
      details: [err.context],
      nonRetryable: !RETRYABLE.has(err.code),
    });
  }
  return err;
}

/** Wraps every activity so its errors go through toActivityFailure. */
export function withFailureMapping<T extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: T): T {
  return Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [
      name,
      async (...args: never[]) => {
        try {
          return await fn(...args);
        } catch (err) {
          throw toActivityFailure(err);
        }
      },
    ]),
  ) as T;
}

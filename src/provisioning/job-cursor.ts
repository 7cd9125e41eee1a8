import { isTenantId as isUuid } from '../auth/tenant-scope';
import { DomainError } from '../domain/domain-error';
import type { JobCursor } from '../read-model/job-reader';
import { INSTANT_RULE, isInstant } from './dto/is-instant.validator';

/** Longest token a page makes (an instant and a UUID, as base64url JSON) is ~100 characters. */
export const MAX_CURSOR_LENGTH = 512;

/** Encodes where a page ended as an opaque token. */
export function encodeCursor(c: JobCursor): string {
  return Buffer.from(JSON.stringify([c.createdAt, c.jobId])).toString('base64url');
}

/**
 * Decodes a page token. A token that was not made by encodeCursor is a 400 naming `cursor` and
 * what is wrong with it, before any of it reaches the database: every part is checked to be
 * exactly what encodeCursor writes (Postgres would refuse a job id of 36 dashes or a time it
 * cannot read, and a refusal there is a 500).
 */
export function decodeCursor(token: string): JobCursor {
  const problem = cursorProblem(token);
  if (typeof problem === 'string') {
    throw new DomainError('VALIDATION_FAILED', 'Invalid request: cursor', [
      { field: 'cursor', reason: `must be the next_cursor of a previous page: ${problem}` },
    ]);
  }
  return problem;
}

/** The position a token names, or what is wrong with it. */
function cursorProblem(token: string): JobCursor | string {
  if (token.length > MAX_CURSOR_LENGTH) return `it is longer than ${MAX_CURSOR_LENGTH} characters`;
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return 'it is not base64url';
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return 'it does not decode to a page position';
  }
  if (!Array.isArray(parts) || parts.length !== 2) return 'it does not hold a time and a job id';
  const [createdAt, jobId] = parts as unknown[];
  // Only what encodeCursor writes: an instant (Date.parse alone would take text Postgres refuses).
  if (!isInstant(createdAt)) return `its time ${INSTANT_RULE}`;
  if (!isUuid(jobId)) return 'its job id is not a UUID';
  return { createdAt, jobId };
}

import { DomainError } from '../domain/domain-error';
import type { JobCursor } from '../read-model/job-reader';
import { isInstant } from './dto/is-instant.validator';

/** Encodes where a page ended as an opaque token. */
export function encodeCursor(c: JobCursor): string {
  return Buffer.from(JSON.stringify([c.createdAt, c.jobId])).toString('base64url');
}

/** Decodes a page token; a token that was not made by encodeCursor is a 400. */
export function decodeCursor(token: string): JobCursor {
  try {
    const [createdAt, jobId] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as [unknown, unknown];
    // Only what encodeCursor writes: an instant (Date.parse alone would take text Postgres refuses).
    if (isInstant(createdAt) && typeof jobId === 'string') {
      if (/^[0-9a-f-]{36}$/i.test(jobId)) return { createdAt, jobId };
    }
  } catch {
    // falls through to the error below
  }
  throw new DomainError('VALIDATION_FAILED', 'Invalid request: cursor', [
    { field: 'cursor', reason: 'must be the next_cursor of a previous page' },
  ]);
}

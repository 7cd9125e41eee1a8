import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Header carrying the request id, in and out. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

// A caller's id is honoured only if it is short and plain: it ends up in every log line.
const ACCEPTABLE = /^[\w.:-]{1,128}$/;

/** Whether a caller's X-Request-Id is short and plain enough to be logged and stored as given. */
export function isAcceptableRequestId(given: unknown): given is string {
  return typeof given === 'string' && ACCEPTABLE.test(given);
}

/** The caller's X-Request-Id when acceptable, else a new UUID; echoed in the response header. */
export function requestIdOf(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = isAcceptableRequestId(given) ? given : randomUUID();
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';
import { requestIdOf } from './request-id';

const storage = new AsyncLocalStorage<{ requestId: string }>();

/** The id of the HTTP request being served, if any (for code without the request at hand). */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/**
 * Gives the request its id before anything else runs (pino-http keeps an id already set) and
 * makes it available to everything the request does, such as starting its workflow.
 */
export function requestContext(req: Request, res: Response, next: NextFunction): void {
  const requestId = requestIdOf(req, res);
  (req as Request & { id?: string }).id = requestId;
  storage.run({ requestId }, next);
}

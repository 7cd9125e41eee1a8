import type { NextFunction, Request, Response } from 'express';

/**
 * A body-parser failure (status, type and message kept) that is no SyntaxError: Nest turns a
 * SyntaxError into a BadRequestException carrying its message, which quotes the body (Node's
 * JSON.parse does), and the type that tells the filter to answer without it would be lost.
 */
export class BodyParserError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'BodyParserError';
  }
}

/** Express error middleware, right after the body parsers: hands their errors on as BodyParserError. */
export function bodyParserErrors(err: unknown, _req: Request, _res: Response, next: NextFunction): void {
  const e = err as { status?: unknown; type?: unknown; message?: unknown } | undefined;
  if (typeof e?.status === 'number' && typeof e.type === 'string') {
    next(new BodyParserError(e.status, e.type, typeof e.message === 'string' ? e.message : ''));
    return;
  }
  next(err);
}

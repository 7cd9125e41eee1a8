import type { NextFunction, Request, Response } from 'express';

/** Headers the Temporal Web UI sends to a codec server. */
const ALLOWED_HEADERS = 'content-type, x-namespace, authorization, x-api-key';

/**
 * CORS for the codec endpoints: the Web UI calls them from the browser, from its own origin.
 * Only the configured origins are answered with CORS headers; a preflight is answered here,
 * before authentication (browsers send it without credentials).
 */
export function codecCors(allowedOrigins: string[]) {
  const allowed = new Set(allowedOrigins);
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.headers.origin;
    if (typeof origin === 'string' && allowed.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}

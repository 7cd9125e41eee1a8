import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';

const tracer = trace.getTracer('poc-gateway-http');

/** Probes and scrapes, every few seconds from each kubelet and Prometheus: not worth a span each. */
const UNTRACED_PATHS = /^\/api\/v1\/(health|metrics)(\/|$)/;

/**
 * Opens a server span for each HTTP request (continuing a caller's W3C `traceparent`) and runs
 * the rest of the request inside it, so the workflow a request starts joins its trace. A no-op
 * span when tracing is off. Health probes and metrics scrapes get none.
 */
export function httpSpanMiddleware(req: Request, res: Response, next: NextFunction): void {
  if (UNTRACED_PATHS.test(req.path)) return next();
  const parent = propagation.extract(context.active(), req.headers);
  const span = tracer.startSpan(
    `${req.method} ${req.path}`,
    {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': req.method, 'url.path': req.path },
    },
    parent,
  );
  res.once('finish', () => {
    // The route template is known only after routing: a span name without ids.
    const route = (req.route as { path?: string } | undefined)?.path;
    if (route) span.updateName(`${req.method} ${req.baseUrl}${route}`);
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  context.with(trace.setSpan(parent, span), next);
}

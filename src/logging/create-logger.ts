import { trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { AppConfig } from '../config/app-config';
import { boundedLogFields, boundedText, LOG_FIELD_MAX } from './bounded-text';

/**
 * Paths pino blanks on every line: credentials in request headers, the tenant's contact
 * details and anything that looks like a secret. The tenant slug is the only tenant data kept.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.contact_email',
  '*.contact_name',
  '*.company_name',
  '*.contact_phone',
  '*.password',
  '*.api_token',
  '*.secret',
  'company_info',
  '*.company_info',
];

/** pino has no "verbose": Nest's verbose is pino's trace. */
export function pinoLevel(level: AppConfig['logLevel']): pino.Level {
  return level === 'verbose' ? 'trace' : level;
}

/**
 * The engine's JSON logger: one object per line, ISO time, level names, the trace and span
 * of the active OpenTelemetry span (when tracing is on), redaction of secrets, and no string
 * longer than LOG_FIELD_MAX characters.
 */
export function createLogger(
  opts: { level: AppConfig['logLevel']; service: string },
  destination?: DestinationStream,
): Logger {
  const options: LoggerOptions = {
    level: pinoLevel(opts.level),
    base: { service: opts.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    // No field and no message longer than LOG_FIELD_MAX, whatever a caller sent: a net under
    // the targeted bounds where request input is logged (bounded-text.ts).
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => boundedLogFields(object),
    },
    hooks: {
      logMethod(args, method) {
        const bounded = args.map((a) => (typeof a === 'string' ? boundedText(a, LOG_FIELD_MAX) : a));
        method.apply(this, bounded as Parameters<typeof method>);
      },
    },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    mixin() {
      const span = trace.getActiveSpan()?.spanContext();
      return span ? { trace_id: span.traceId, span_id: span.spanId } : {};
    },
  };
  const logger = destination ? pino(options, destination) : pino(options);
  return withBoundedBindings(logger);
}

/**
 * pino applies formatters.bindings to the root's bindings only; children (pino-http's request
 * logger, nestjs-pino's assign) get theirs bounded here. Children inherit from their parent, so
 * overriding the root's methods covers every descendant.
 */
function withBoundedBindings(logger: Logger): Logger {
  // The prototype's methods, called on whichever logger (root, child, grandchild) is `this`.
  const pinoMethods = Object.getPrototypeOf(logger) as Logger;
  logger.child = function (this: Logger, bindings, childOptions) {
    return pinoMethods.child.call(this, boundedLogFields(bindings), childOptions);
  } as Logger['child'];
  logger.setBindings = function (this: Logger, bindings) {
    pinoMethods.setBindings.call(this, boundedLogFields(bindings));
  };
  return logger;
}

import { trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { AppConfig } from '../config/app-config';

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
 * of the active OpenTelemetry span (when tracing is on) and redaction of secrets.
 */
export function createLogger(
  opts: { level: AppConfig['logLevel']; service: string },
  destination?: DestinationStream,
): Logger {
  const options: LoggerOptions = {
    level: pinoLevel(opts.level),
    base: { service: opts.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    mixin() {
      const span = trace.getActiveSpan()?.spanContext();
      return span ? { trace_id: span.traceId, span_id: span.spanId } : {};
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

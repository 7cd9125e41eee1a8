import { RequestMethod, type DynamicModule } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { createLogger } from './create-logger';
import { jobLogFieldsOf } from './job-log-context.interceptor';
import { boundedText } from './bounded-text';
import { requestIdOf } from './request-id';

/** What the response's logger tells of its bindings. */
type PinoBindings = { bindings(): Record<string, unknown> };

/** Paths whose requests are not logged one by one: probes and scrapes every few seconds. */
const UNLOGGED_PATHS = /^\/api\/v1\/(health|metrics)(\/|$)/;

/**
 * The same paths, kept out of pino-http altogether (nestjs-pino's `exclude`): a probe's request
 * logger, its id bindings and its finish handler bought nothing, since no line is written for it.
 * Code running for these requests logs through the root logger (no request id on its lines).
 */
const UNLOGGED_ROUTES = ['api/v1/health', 'api/v1/health/{*rest}', 'api/v1/metrics', 'api/v1/metrics/{*rest}'].map(
  (path) => ({ path, method: RequestMethod.GET }),
);

/** Methods that change nothing: a successful one is not logged line by line (see customLogLevel). */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Options of the gateway's logs: where they go (stdout by default) and whether at all. */
export interface GatewayLogOptions {
  destination?: DestinationStream;
  silent?: boolean;
}

/**
 * nestjs-pino for the gateway: JSON lines, a request id on every line of a request (the
 * caller's X-Request-Id when given, returned in the response), secrets redacted.
 */
export function gatewayLoggerModule(opts: GatewayLogOptions = {}): DynamicModule {
  return LoggerModule.forRootAsync({
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => ({ pinoHttp: httpLogging(config, opts), exclude: UNLOGGED_ROUTES }),
  });
}

function httpLogging(config: AppConfig, opts: GatewayLogOptions): Options {
  const logger = createLogger({ level: config.logLevel, service: 'poc-gateway' }, opts.destination);
  if (opts.silent) logger.level = 'silent';
  return {
    logger,
    // requestContext has usually given the request its id already; this covers any other path.
    genReqId: requestIdOf,
    // Called at the start and again for the request-completed line, when the job is known; the
    // second call adds only what the request's logger does not carry yet (no key twice a line).
    customProps: (req, res) => {
      const response = res as ServerResponse & { locals?: Record<string, unknown>; log?: PinoBindings };
      return notYetBound(response, { request_id: req.id, ...jobLogFieldsOf(response) });
    },
    autoLogging: { ignore: (req) => UNLOGGED_PATHS.test(req.url ?? '') },
    // A successful read is most of the traffic (status polling): it costs no JSON line. Errors, refusals (4xx) and every request that changes something keep
    // their request-completed line.
    customLogLevel: (req, res, err) =>
      err || res.statusCode >= 400 || !READ_METHODS.has(req.method ?? '') ? 'info' : 'silent',
    // Only what an operator needs of a request; headers stay out (they carry the API key).
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, url: boundedText(req.url) }),
      res: (res: { statusCode: number }) => ({ status_code: res.statusCode }),
    },
  };
}

/** The fields whose value the response's logger (set by pino-http after the first call) lacks. */
function notYetBound(res: { log?: PinoBindings }, fields: Record<string, unknown>): Record<string, unknown> {
  const bound = res.log?.bindings() ?? {};
  return Object.fromEntries(Object.entries(fields).filter(([k, v]) => bound[k] !== v));
}

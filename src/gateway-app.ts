import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { API_VERSION, buildOpenApiDocument } from './openapi/openapi-document';
import { codecCors } from './codec/codec-cors.middleware';
import { bodyParserErrors } from './errors/body-parser-errors';
import type { AppConfig } from './config/app-config';
import { APP_CONFIG } from './config/config.module';
import type { GatewayLogOptions } from './logging/gateway-logger.module';
import { requestContext } from './logging/request-context';
import { httpSpanMiddleware } from './tracing/http-span.middleware';

/** Builds the gateway application (not listening yet); shared by main.ts and the e2e tests. */
export async function createGatewayApp(
  config?: AppConfig,
  opts: { logger?: false; logDestination?: GatewayLogOptions['destination'] } = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, { destination: opts.logDestination, silent: opts.logger === false }),
    { bodyParser: false, bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  // Tells nobody which framework answers.
  app.disable('x-powered-by');
  // The client address (failed-auth limit, logs) is X-Forwarded-For's only behind trusted proxies.
  app.set('trust proxy', app.get<AppConfig>(APP_CONFIG).http.trustProxy);
  // First, so that everything a request does (logs, workflow start) knows its id and runs in its span.
  app.use(requestContext);
  app.use(httpSpanMiddleware);
  app.use('/api/v1/codec', codecCors(app.get<AppConfig>(APP_CONFIG).codec.corsOrigins));
  // Bounded bodies: a provisioning request is a few KiB. Not strict: any JSON value parses, so
  // that a body that is JSON but no object (`null`, `1`) is answered "must be a JSON object" by
  // the validation pipe, and "not valid JSON" stays for syntax errors.
  app.useBodyParser('json', { limit: '64kb', strict: false });
  app.use(bodyParserErrors);
  app.enableShutdownHooks();
  // OpenAPI UI at /api/docs, the document at /api/docs/openapi.json (public, like health).
  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app, API_VERSION), {
    jsonDocumentUrl: 'api/docs/openapi.json',
    yamlDocumentUrl: 'api/docs/openapi.yaml',
  });
  return app;
}

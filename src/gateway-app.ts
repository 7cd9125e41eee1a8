import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { API_VERSION, buildOpenApiDocument } from './openapi/openapi-document';
import type { AppConfig } from './config/app-config';

/** Builds the gateway application (not listening yet); shared by main.ts and the e2e tests. */
export async function createGatewayApp(
  config?: AppConfig,
  opts: { logger?: false } = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    logger: opts.logger ?? ['error', 'warn', 'log'],
  });
  // Bounded bodies: a provisioning request is a few KiB.
  app.useBodyParser('json', { limit: '64kb' });
  app.enableShutdownHooks();
  // OpenAPI UI at /api/docs, the document at /api/docs/openapi.json (public, like health).
  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app, API_VERSION), {
    jsonDocumentUrl: 'api/docs/openapi.json',
    yamlDocumentUrl: 'api/docs/openapi.yaml',
  });
  return app;
}

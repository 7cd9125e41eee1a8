import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
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
  return app;
}

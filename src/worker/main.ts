import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '../config/app-config';
import { createLogger } from '../logging/create-logger';
import { PinoNestLogger } from '../logging/pino-nest-logger';
import { startTracing } from '../tracing/tracing';
import { installTemporalRuntime } from './temporal-runtime';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfig(process.env, 'worker');
  const logger = createLogger({ level: config.logLevel, service: 'poc-worker' });
  // Before any connection: the Runtime (logger, SDK metrics) is fixed once per process.
  installTemporalRuntime(config, logger);
  const tracing = startTracing({
    serviceName: config.observability.serviceName ?? 'poc-worker',
    otlpEndpoint: config.observability.otlpEndpoint,
  });
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, tracing), {
    logger: new PinoNestLogger(logger.child({ component: 'nest' })),
  });
  // Drains the workers, then flushes the spans (WorkerService.onApplicationShutdown).
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig } from './config/app-config';
import { createGatewayApp } from './gateway-app';
import { startTracing } from './tracing/tracing';

async function main(): Promise<void> {
  const config = loadConfig(process.env, 'gateway');
  // Before the app: the HTTP span middleware and the Temporal client use the global provider.
  const tracing = startTracing({
    serviceName: config.observability.serviceName ?? 'poc-gateway',
    otlpEndpoint: config.observability.otlpEndpoint,
  });
  const app = await createGatewayApp(config);
  await app.listen(config.http.port, config.http.host);
  new Logger('Gateway').log(`listening on ${config.http.host}:${config.http.port}`);
  // Flush buffered spans while Nest closes the server (its shutdown hook ends the process).
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void tracing?.shutdown());
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig } from './config/app-config';
import { createGatewayApp } from './gateway-app';

async function main(): Promise<void> {
  const config = loadConfig(process.env, 'gateway');
  const app = await createGatewayApp(config);
  await app.listen(config.http.port);
  new Logger('Gateway').log(`listening on :${config.http.port}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

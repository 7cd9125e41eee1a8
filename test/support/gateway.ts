import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config/app-config';
import { createGatewayApp } from '../../src/gateway-app';
import { TEST_ENCRYPTION_KEY, TEST_GATEWAY_ENV, testEnv } from './test-env';

/** Keys of the test gateways: one with every scope, and narrower ones. */
export const KEYS = {
  all: 'e2e-key-0123456789abcdef',
  provisioner: 'e2e-provisioner-0123456789',
  reader: 'e2e-reader-0123456789abcd',
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are asserted field by field
export type ApiBody = any;

/** A real gateway on a free port, on the test stack, with the given task queue and extra configuration. */
export interface TestGateway {
  app: NestExpressApplication;
  base: string;
  /** An API call with a JSON body; `key: null` sends no credentials. */
  call(path: string, init?: RequestInit & { key?: string | null; json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

/** `opts.logLines`: when given, the gateway logs (at info) and each JSON line is pushed there. */
export async function startGateway(
  taskQueue: string,
  env: Record<string, string> = {},
  opts: { logLines?: string[] } = {},
): Promise<TestGateway> {
  const config = loadConfig(
    {
      ...TEST_GATEWAY_ENV,
      DATABASE_URL: testEnv('databaseUrl'),
      TEMPORAL_ADDRESS: testEnv('temporalAddress'),
      TEMPORAL_TASK_QUEUE: taskQueue,
      PROVISIONING_API_KEYS: `${KEYS.all},${KEYS.provisioner}:provision+read,${KEYS.reader}:read`,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      ...(opts.logLines ? { LOG_LEVEL: 'info' } : {}),
      ...env,
    },
    'gateway',
  );
  const lines = opts.logLines;
  const app = await createGatewayApp(
    config,
    lines ? { logDestination: { write: (line: string) => void lines.push(line) } } : { logger: false },
  );
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api/v1`;
  return {
    app,
    base,
    call: (path, init = {}) =>
      fetch(`${base}${path}`, {
        ...init,
        ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
        headers: {
          'content-type': 'application/json',
          ...(init.key === null ? {} : { authorization: `Bearer ${init.key ?? KEYS.all}` }),
          ...(init.headers as Record<string, string> | undefined),
        },
      }),
    close: () => app.close(),
  };
}

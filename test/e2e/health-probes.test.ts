import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import { createGatewayApp } from '../../src/gateway-app';
import { freePort } from '../../scripts/stack/free-port';
import { TEST_ENCRYPTION_KEY, testEnv, TEST_GATEWAY_ENV } from '../support/test-env';
import { eventually, openDatabase, realActivityDeps, startWorker, type RunningWorker } from '../support/test-stack';

async function gateway(taskQueue: string, temporalAddress = testEnv('temporalAddress')) {
  const config = loadConfig(
    {
      ...TEST_GATEWAY_ENV,
      DATABASE_URL: testEnv('databaseUrl'),
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_TASK_QUEUE: taskQueue,
      PROVISIONING_API_KEYS: 'health-key-0123456789abc',
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    },
    'gateway',
  );
  const app = await createGatewayApp(config, { logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, base: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api/v1/health` };
}

// Liveness and readiness for Kubernetes, and the health report's queue detail.
describe('health probes', () => {
  let served: { app: NestExpressApplication; base: string };
  let unserved: { app: NestExpressApplication; base: string };
  let worker: RunningWorker;
  let db: DataSource;

  beforeAll(async () => {
    db = await openDatabase();
    served = await gateway('health');
    unserved = await gateway('health-nobody-polls');
    worker = await startWorker('health', realActivityDeps(db, 'health'));
  });
  afterAll(async () => {
    await worker?.stop();
    await served?.app.close();
    await unserved?.app.close();
    await db?.destroy();
  });

  const get = async (url: string) => {
    const res = await fetch(url);
    return { status: res.status, body: await res.json() };
  };

  it('is ready when Postgres and Temporal answer and a worker polls every queue, and reports each queue', async () => {
    const ready = await eventually(
      () => get(`${served.base}/ready`),
      (r) => r.status === 200,
      20_000,
    );
    expect(ready.body).toMatchObject({ ready: true, reasons: [] });
    const health = await get(served.base);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'healthy', database: 'connected', queue: 'healthy', workers: 1 });
    expect(health.body.queues).toEqual([
      { name: 'health', type: 'workflow', pollers: 1, backlog: 0 },
      { name: 'health', type: 'activity', pollers: 1, backlog: 0 },
      { name: 'health-tofu', type: 'activity', pollers: 1, backlog: 0 },
      { name: 'health-drift', type: 'activity', pollers: 1, backlog: 0 },
    ]);
  });

  it('is live but not ready while no worker polls its queues, and says which', async () => {
    expect(await get(`${unserved.base}/live`)).toEqual({ status: 200, body: { status: 'ok' } });
    const ready = await get(`${unserved.base}/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body.ready).toBe(false);
    expect(ready.body.reasons).toEqual([
      'no worker polls workflow queue health-nobody-polls',
      'no worker polls activity queue health-nobody-polls',
      'no worker polls activity queue health-nobody-polls-tofu',
      'no worker polls activity queue health-nobody-polls-drift',
    ]);
    const health = await get(unserved.base);
    expect(health).toMatchObject({
      status: 200,
      body: { status: 'degraded', database: 'connected', queue: 'degraded', workers: 0 },
    });
  });

  it("answers 503 in the seed's shape, with the queue unhealthy and the reason, while Temporal does not answer", async () => {
    // Nothing listens on a port just found free: the gateway's lazy connection never answers.
    const orphan = await gateway('health-no-temporal', `127.0.0.1:${await freePort()}`);
    try {
      const health = await get(orphan.base);
      expect(health).toMatchObject({
        status: 503,
        body: { status: 'unhealthy', database: 'connected', queue: 'unhealthy', workers: 0, queues: [] },
      });
      expect(health.body.checks.temporal).toMatchObject({ status: 'down', error: expect.any(String) });
      const ready = await get(`${orphan.base}/ready`);
      expect(ready.status).toBe(503);
      expect(ready.body.reasons).toEqual([expect.stringMatching(/^temporal: /)]);
    } finally {
      await orphan.app.close();
    }
  });
});

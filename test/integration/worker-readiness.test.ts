// The worker pod's readiness endpoint on a real Temporal worker: not ready before the worker
// polls, ready while it runs, not ready from the moment its drain begins (SIGTERM's shutdown).
import { NativeConnection, Worker } from '@temporalio/worker';
import { Registry } from 'prom-client';
import { MetricsServer } from '../../src/worker/metrics-server';
import { workersReadiness } from '../../src/worker/workers-readiness';
import { testEnv } from '../support/test-env';
import { eventually } from '../support/test-stack';

jest.setTimeout(120_000);

describe("the worker's readiness endpoint", () => {
  let connection: NativeConnection;
  let server: MetricsServer;
  let worker: Worker;
  let port: number;

  beforeAll(async () => {
    connection = await NativeConnection.connect({ address: testEnv('temporalAddress') });
    worker = await Worker.create({
      connection,
      taskQueue: `readiness-${process.pid}-${Date.now()}`,
      activities: { noop: () => Promise.resolve() },
    });
    server = new MetricsServer(new Registry(), null, () => workersReadiness([worker]));
    port = await server.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await server.close();
    await connection.close();
  });

  const ready = async () => {
    const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
    return { status: res.status, body: (await res.json()) as { status: string; reason?: string } };
  };

  it('answers 503 before the worker runs, 200 while it polls, and 503 once its drain has begun', async () => {
    expect(await ready()).toEqual({
      status: 503,
      body: expect.objectContaining({ status: 'not_ready', reason: expect.stringContaining('initialized') }),
    });

    const running = worker.run();
    const whileRunning = await eventually(ready, (r) => r.status === 200);
    expect(whileRunning.body).toEqual({ status: 'ready', ready: true });

    worker.shutdown();
    const draining = await ready();
    expect(draining.status).toBe(503);
    await running;
    expect((await ready()).status).toBe(503);
    // Liveness is unaffected: the process still answers.
    expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
  });
});

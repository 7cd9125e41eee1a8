import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { verifyWebhook } from '../../activities/notify/webhook-signature';
import type { Notification } from '../../src/domain/notification';
import { JobReader } from '../../src/read-model/job-reader';
import { destroyNowUpdate } from '../../workflows/provision-environment.api';
import { aProvisionRequest } from '../support/requests';
import {
  eventually,
  openDatabase,
  openTemporalClient,
  realActivityDeps,
  startProvisioningRun,
  startWorker,
  type RunningWorker,
} from '../support/test-stack';
import { startWebhookReceiver } from '../support/webhook-receiver';

const SECRET = 'whsec-test-0123456789abcdef0123456789';

// The signup backend is a real HTTP server here; webhooks travel over the loopback network.
describe('webhook notifications', () => {
  let db: DataSource;
  let client: Client;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    db = await openDatabase();
    client = await openTemporalClient();
  });
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
    await client.connection.close();
    await db.destroy();
  });

  async function setUp(name: string, respond?: Parameters<typeof startWebhookReceiver>[0]) {
    const receiver = await startWebhookReceiver(respond);
    cleanups.push(receiver.close);
    const worker: RunningWorker = await startWorker(
      name,
      realActivityDeps(db, name, {}, { url: receiver.url, secret: SECRET, timeoutMs: 5000 }),
    );
    cleanups.push(worker.stop);
    return receiver;
  }

  it('tells the backend, signed, when the environment is ready, before it expires, and when it is destroyed', async () => {
    const receiver = await setUp('notify-lifecycle');
    const request = aProvisionRequest({ expiresInMs: 15_000 });

    const { handle } = await startProvisioningRun(db, client, 'notify-lifecycle', request, {
      reminderLeadSeconds: [6],
    });
    await handle.result();
    // Deliveries run in their own workflows, which may finish after the run.
    await eventually(
      () => Promise.resolve(receiver.received.length),
      (n) => n >= 3,
    );

    const bodies = receiver.received.map((r) => JSON.parse(r.body) as Notification);
    expect(bodies.map((b) => b.event)).toEqual([
      'environment.ready',
      'environment.expiring_soon',
      'environment.destroyed',
    ]);
    for (const r of receiver.received) {
      expect(verifyWebhook(SECRET, r.body, String(r.headers['x-poc-signature']), Math.floor(Date.now() / 1000))).toBe(
        true,
      );
      expect(
        verifyWebhook(
          'some-other-secret-0123456789abcdef',
          r.body,
          String(r.headers['x-poc-signature']),
          Math.floor(Date.now() / 1000),
        ),
      ).toBe(false);
    }
    expect(new Set(bodies.map((b) => b.delivery_id)).size).toBe(3);
    expect(bodies[0]).toMatchObject({ tenant_slug: request.tenant_slug, status: 'completed' });
    expect(bodies[0]?.service_endpoints?.api_endpoint).toBe(`https://api.${request.tenant_slug}.local.poc`);
    expect(bodies[2]).toMatchObject({ status: 'destroyed' });
  });

  it('retries a webhook that answers 503 and delivers it once it answers 2xx', async () => {
    const receiver = await setUp('notify-retry', (body, earlier) => (earlier.some((r) => r.body === body) ? 204 : 503));
    const { jobId, handle } = await startProvisioningRun(db, client, 'notify-retry', aProvisionRequest());
    await eventually(
      () => Promise.resolve(receiver.received.filter((r) => r.status === 204).length),
      (n) => n >= 1,
    );
    const ready = receiver.received.filter((r) => r.headers['x-poc-event'] === 'environment.ready');
    expect(ready.map((r) => r.status)).toEqual([503, 204]);
    expect(new Set(ready.map((r) => r.headers['x-poc-delivery'])).size).toBe(1);
    expect((await new JobReader(db).findJob(jobId))?.status).toBe('completed');
    await handle.terminate('test done');
  });

  it('provisions and destroys as usual when the webhook refuses every notification', async () => {
    const receiver = await setUp('notify-refused', () => 400);
    const { jobId, handle } = await startProvisioningRun(db, client, 'notify-refused', aProvisionRequest());
    await eventually(
      () => new JobReader(db).findJob(jobId),
      (j) => j?.status === 'completed',
    );
    await handle.executeUpdate(destroyNowUpdate, { args: [{}] });
    await expect(handle.result()).resolves.toEqual({ outcome: 'destroyed', jobId });
    await eventually(
      () => Promise.resolve(receiver.received.length),
      (n) => n >= 2,
    );
    // A 4xx is permanent: each notification was tried once, not retried.
    expect(receiver.received.map((r) => [r.headers['x-poc-event'], r.status])).toEqual([
      ['environment.ready', 400],
      ['environment.destroyed', 400],
    ]);
  });
});

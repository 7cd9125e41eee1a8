import { randomUUID } from 'node:crypto';
import seedRequest from '../fixtures/seed/provision-request.json';
import { cloudObject } from '../support/local-cloud';
import { aProvisionRequest } from '../support/requests';
import { type ApiBody, type TestGateway } from '../support/gateway';
import { eventually, testFolders } from '../support/test-stack';
import { startEngine, type RunningEngine } from '../support/engine';

const TASK_QUEUE = 'requests-on-running-stack';

// The real gateway, worker, Temporal, Postgres and tofu (local stack). The seed's request runs
// to completion with its fields where they belong. Input that Postgres or JSON cannot store, or
// an instant without an offset, is refused with 400 naming the field before anything is
// changed: the job keeps its status, its actions and its expiry.
describe('requests on a running stack', () => {
  let engine: RunningEngine;
  let gateway: TestGateway;

  beforeAll(async () => {
    // The test gateway's rate limit is far above what the test's own polling sends (TEST_GATEWAY_ENV).
    engine = await startEngine(TASK_QUEUE);
    ({ gateway } = engine);
  });
  afterAll(() => engine?.stop());

  const json = async (res: Response): Promise<ApiBody> => res.json();
  const statusOf = async (jobId: string) => json(await gateway.call(`/provisioning/status/${jobId}`));
  const until = (jobId: string, statuses: string[]) =>
    eventually(
      () => statusOf(jobId),
      (s: ApiBody) => statuses.includes(s.status),
      180_000,
    );
  const post = (path: string, body: unknown) => gateway.call(path, { method: 'POST', json: body });
  const refusal = async (res: Response) => ({ status: res.status, body: await json(res) });

  it('refuses NUL and offset-less instants on a ready job with 400 naming the field, and the job stays destroyable', async () => {
    const request = aProvisionRequest();
    const accepted = await post('/provisioning/provision', request);
    expect(accepted.status).toBe(202);
    const jobId: string = (await json(accepted)).job_id;
    const ready = await until(jobId, ['completed', 'failed']);
    expect(ready.status).toBe('completed');

    const destroy = await refusal(await post(`/provisioning/jobs/${jobId}/destroy`, { reason: '\u0000' }));
    expect(destroy).toMatchObject({
      status: 400,
      body: {
        error: { code: 'VALIDATION_FAILED', details: [{ field: 'reason', reason: expect.stringMatching(/NUL/) }] },
      },
    });
    const cancel = await refusal(await post(`/provisioning/jobs/${jobId}/cancel`, { reason: 'stop\u0000' }));
    expect(cancel).toMatchObject({ status: 400, body: { error: { details: [{ field: 'reason' }] } } });

    const offsetless = ready.expires_at.replace(/(\.\d+)?Z$/, '');
    const extend = await refusal(await post(`/provisioning/jobs/${jobId}/extend`, { expires_at: offsetless }));
    expect(extend).toMatchObject({
      status: 400,
      body: { error: { details: [{ field: 'expires_at', reason: expect.stringMatching(/offset/) }] } },
    });

    // Nothing moved: same status, same expiry, every action still open, no event added.
    const after = await statusOf(jobId);
    expect(after).toMatchObject({
      status: 'completed',
      expires_at: ready.expires_at,
      actions: { can_destroy: true, can_extend: true },
    });
    const events = await json(await gateway.call(`/provisioning/jobs/${jobId}/events`));
    const eventsBefore = events.events.length;

    // The job is destroyable for real, and once destroyed its slug is free for another tenant.
    const destroyed = await post(`/provisioning/jobs/${jobId}/destroy`, { reason: 'trial over\nthanks' });
    expect(destroyed.status).toBe(202);
    expect((await until(jobId, ['destroyed', 'failed'])).status).toBe('destroyed');
    expect((await json(await gateway.call(`/provisioning/jobs/${jobId}/events`))).events.length).toBeGreaterThan(
      eventsBefore,
    );

    const other = await post('/provisioning/provision', { ...aProvisionRequest(), tenant_slug: request.tenant_slug });
    expect(other.status).toBe(202);
    const otherId: string = (await json(other)).job_id;
    expect((await post(`/provisioning/jobs/${otherId}/cancel`, { reason: 'test over' })).status).toBe(202);
    await until(otherId, ['cancelled', 'failed', 'destroyed']);
  });

  it("provisions the seed's request: its product features reach the stack as product_features, infrastructure follows tier and monitoring", async () => {
    const tenantId = randomUUID();
    const slug = `acme-cybersecurity-inc-${tenantId.slice(0, 8)}`;
    const accepted = await post('/provisioning/provision', {
      ...seedRequest,
      tenant_id: tenantId,
      tenant_slug: slug,
      poc_config: { ...seedRequest.poc_config, expires_at: new Date(Date.now() + 30 * 24 * 3600_000).toISOString() },
    });
    expect(accepted.status).toBe(202);
    const jobId: string = (await json(accepted)).job_id;
    expect((await until(jobId, ['completed', 'failed'])).status).toBe('completed');

    // What the local cloud holds of the cluster the provider created from the variables it was given.
    const cluster = cloudObject(testFolders(TASK_QUEUE).environmentRoot, slug, 'gke_cluster');
    expect(cluster).toMatchObject({
      metadata: {
        product_features: 'threat_detection,vulnerability_management,email_security',
        enabled_features: 'backups,high_availability,monitoring',
      },
      private_nodes: true,
      location: 'us-central1',
    });

    expect((await post(`/provisioning/jobs/${jobId}/destroy`, { reason: 'test over' })).status).toBe(202);
    expect((await until(jobId, ['destroyed', 'failed'])).status).toBe('destroyed');
  });

  it.each(['created_from', 'created_to'])(
    'refuses a list filter %s without an offset with 400 naming it, and takes it with one',
    async (field) => {
      const bad = await refusal(await gateway.call(`/provisioning/jobs?${field}=2026-01-01T00:00:00`));
      expect(bad).toMatchObject({
        status: 400,
        body: { error: { details: [{ field, reason: expect.stringMatching(/offset/) }] } },
      });
      const good = await gateway.call(`/provisioning/jobs?${field}=${encodeURIComponent('2026-01-01T00:00:00+01:00')}`);
      expect(good.status).toBe(200);
    },
  );

  it.each([
    ['holding NUL', 'abc%00def'],
    [
      'decoding to an instant followed by NUL',
      Buffer.from(JSON.stringify(['2026-01-01T00:00:00Z\u0000', randomUUID()])).toString('base64url'),
    ],
  ])('refuses a list cursor %s with 400 naming cursor', async (_case, cursor) => {
    const res = await refusal(await gateway.call(`/provisioning/jobs?cursor=${cursor}`));
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain('cursor');
  });
});

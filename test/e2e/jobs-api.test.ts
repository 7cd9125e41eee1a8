import { Client, Connection } from '@temporalio/client';
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { provisioningWorkflowId } from '../../src/domain/workflow-ids';
import { aProvisionRequest } from '../support/requests';
import { KEYS, startGateway, type ApiBody, type TestGateway } from '../support/gateway';
import { testEnv } from '../support/test-env';
import { eventually, openDatabase, realActivityDeps, startWorker, type RunningWorker } from '../support/test-stack';

const TASK_QUEUE = 'jobs-api';
const JWT_SECRET = 'jwt-secret-for-tests-0123456789abcdef';

// The real gateway, worker, Temporal, Postgres and tofu: every job endpoint over HTTP.
describe('the jobs API', () => {
  let gateway: TestGateway;
  let worker: RunningWorker;
  let db: DataSource;
  let temporal: Client;

  beforeAll(async () => {
    db = await openDatabase();
    gateway = await startGateway(TASK_QUEUE, {
      JWT_ISSUER: 'https://signup.test',
      JWT_AUDIENCE: 'poc-engine',
      JWT_SECRET,
    });
    worker = await startWorker(TASK_QUEUE, realActivityDeps(db, TASK_QUEUE));
    temporal = new Client({ connection: await Connection.connect({ address: testEnv('temporalAddress') }) });
  });
  afterAll(async () => {
    await temporal?.connection.close();
    await worker?.stop();
    await gateway?.close();
    await db?.destroy();
  });

  const json = async (res: Response): Promise<ApiBody> => res.json();
  const submit = async (body = aProvisionRequest(), key?: string) => {
    const res = await gateway.call('/provisioning/provision', { method: 'POST', json: body, key });
    expect(res.status).toBe(202);
    return { request: body, jobId: (await json(res)).job_id as string };
  };
  const statusOf = async (jobId: string) => json(await gateway.call(`/provisioning/status/${jobId}`));
  const until = (jobId: string, statuses: string[]) =>
    eventually(
      () => statusOf(jobId),
      (s: ApiBody) => statuses.includes(s.status),
    );

  it('extends a ready environment, refuses an extension beyond the tier maximum with 400, and destroys it on request', async () => {
    const { jobId } = await submit();
    const ready = await until(jobId, ['completed', 'failed']);
    expect(ready.actions).toEqual({ can_cancel: false, can_extend: true, can_destroy: true });
    expect(ready.timings).toMatchObject({
      started_at: expect.any(String),
      actual_duration_seconds: expect.any(Number),
    });

    const later = new Date(Date.now() + 10 * 24 * 3600_000).toISOString();
    const extended = await gateway.call(`/provisioning/jobs/${jobId}/extend`, {
      method: 'POST',
      json: { expires_at: later },
    });
    expect(extended.status).toBe(200);
    expect(await json(extended)).toMatchObject({ job_id: jobId, expires_at: later });

    const tooLate = new Date(Date.now() + 40 * 24 * 3600_000).toISOString();
    const refused = await gateway.call(`/provisioning/jobs/${jobId}/extend`, {
      method: 'POST',
      json: { expires_at: tooLate },
    });
    expect(refused.status).toBe(400);
    expect((await json(refused)).error.details).toEqual([
      { field: 'expires_at', reason: expect.stringMatching(/at most 30 days/) },
    ]);

    const destroy = await gateway.call(`/provisioning/jobs/${jobId}/destroy`, {
      method: 'POST',
      json: { reason: 'trial over' },
    });
    expect(destroy.status).toBe(202);
    // The answer shows the destroy it accepted, never a destroy the caller could ask for again.
    expect(await json(destroy)).toMatchObject({
      status: expect.stringMatching(/^(destroying|destroyed)$/),
      actions: { can_destroy: false },
    });
    const destroyed = await until(jobId, ['destroyed']);
    expect(destroyed.actions).toEqual({ can_cancel: false, can_extend: false, can_destroy: false });

    const again = await gateway.call(`/provisioning/jobs/${jobId}/destroy`, { method: 'POST', json: {} });
    expect(again.status).toBe(409);
    expect(await json(again)).toMatchObject({
      error: { code: 'INVALID_STATE', status: 'destroyed', actions: { can_destroy: false } },
    });

    const events = await json(await gateway.call(`/provisioning/jobs/${jobId}/events`));
    const steps = events.events.map((e: { step: string }) => e.step);
    expect(steps).toEqual(expect.arrayContaining(['create_workspace', 'tofu_apply', 'extend', 'tofu_destroy']));
    expect(events.events.map((e: { seq: number }) => e.seq)).toEqual(
      [...events.events.map((e: { seq: number }) => e.seq)].sort((a: number, b: number) => a - b),
    );
  });

  it('cancels a job while it provisions, and refuses to cancel a ready one with 409', async () => {
    // A slow apply on a worker of its own, so the cancel lands mid-run.
    const slowQueue = `${TASK_QUEUE}-slow`;
    const slow = await startWorker(slowQueue, realActivityDeps(db, slowQueue, { applyDelaySeconds: 3 }));
    const slowGateway = await startGateway(slowQueue);
    try {
      const res = await slowGateway.call('/provisioning/provision', { method: 'POST', json: aProvisionRequest() });
      const { job_id: jobId } = await json(res);
      await eventually(
        () => statusOf(jobId),
        (s: ApiBody) => s.current_step === 'tofu_apply',
      );
      const cancel = await slowGateway.call(`/provisioning/jobs/${jobId}/cancel`, { method: 'POST' });
      expect(cancel.status).toBe(202);
      expect(await until(jobId, ['cancelled', 'failed', 'completed'])).toMatchObject({ status: 'cancelled' });
    } finally {
      await slowGateway.close();
      await slow.stop();
    }

    const { jobId: readyJob } = await submit();
    await until(readyJob, ['completed']);
    const refused = await gateway.call(`/provisioning/jobs/${readyJob}/cancel`, { method: 'POST', json: {} });
    expect(refused.status).toBe(409);
    expect((await json(refused)).error.code).toBe('INVALID_STATE');
  });

  it('lists jobs newest first with filters and a cursor that pages through each job exactly once', async () => {
    const tenantJobs: string[] = [];
    for (let i = 0; i < 5; i += 1) tenantJobs.push((await submit(aProvisionRequest({ tier: 'enterprise' }))).jobId);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ApiBody = await json(
        await gateway.call(`/provisioning/jobs?tier=enterprise&limit=2${cursor ? `&cursor=${cursor}` : ''}`),
      );
      expect(page.jobs.length).toBeLessThanOrEqual(2);
      seen.push(...page.jobs.map((j: { job_id: string }) => j.job_id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen.filter((id) => tenantJobs.includes(id))).toEqual([...tenantJobs].reverse());
    expect(new Set(seen).size).toBe(seen.length);

    const one = await json(await gateway.call(`/provisioning/jobs/${tenantJobs[0]}/events`));
    expect(one.job_id).toBe(tenantJobs[0]);
    const byStatus = await json(
      await gateway.call('/provisioning/jobs?status=queued,provisioning,completed&limit=100'),
    );
    expect(
      byStatus.jobs.every((j: { status: string }) => ['queued', 'provisioning', 'completed'].includes(j.status)),
    ).toBe(true);
    const bad = await gateway.call('/provisioning/jobs?status=sleeping&limit=500&cursor=nope');
    expect(bad.status).toBe(400);
    const fields = (await json(bad)).error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['status', 'limit']));
    const badCursor = await gateway.call('/provisioning/jobs?cursor=nope');
    expect((await json(badCursor)).error.details).toEqual([{ field: 'cursor', reason: expect.any(String) }]);
  });

  it('enforces scopes: a read key cannot provision or read credentials, and each credentials read is audited', async () => {
    const forbidden = await gateway.call('/provisioning/provision', {
      method: 'POST',
      json: aProvisionRequest(),
      key: KEYS.reader,
    });
    expect(forbidden.status).toBe(403);
    expect((await json(forbidden)).error).toMatchObject({ code: 'FORBIDDEN', required_scope: 'provision' });

    const { jobId } = await submit(aProvisionRequest(), KEYS.provisioner);
    await until(jobId, ['completed']);
    const row = await db.query('SELECT requested_by FROM provisioning_jobs WHERE job_id = $1', [jobId]);
    expect(row[0].requested_by).toMatch(/^key:[0-9a-f]{12}$/);

    expect((await gateway.call(`/provisioning/jobs/${jobId}/credentials`, { key: KEYS.provisioner })).status).toBe(403);
    expect((await gateway.call(`/provisioning/status/${jobId}`, { key: KEYS.reader })).status).toBe(200);
    const creds = await gateway.call(`/provisioning/jobs/${jobId}/credentials`, {
      headers: { 'x-request-id': 'audit-me-1' },
    });
    expect(creds.status).toBe(200);
    const audit = await db.query('SELECT principal, request_id FROM credential_reads WHERE job_id = $1', [jobId]);
    expect(audit).toEqual([{ principal: expect.stringMatching(/^key:/), request_id: 'audit-me-1' }]);
    await temporal.workflow.getHandle(provisioningWorkflowId((await statusOf(jobId)).tenant_id)).terminate('test over');
  });

  it('accepts a service JWT with the provision scope and refuses one with a wrong audience', async () => {
    const token = (audience: string) =>
      new SignJWT({ scope: 'provision read' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('signup-backend')
        .setIssuer('https://signup.test')
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(JWT_SECRET));
    const accepted = await gateway.call('/provisioning/provision', {
      method: 'POST',
      json: aProvisionRequest(),
      key: await token('poc-engine'),
    });
    expect(accepted.status).toBe(202);
    const { job_id: jobId } = await json(accepted);
    const row = await db.query('SELECT requested_by FROM provisioning_jobs WHERE job_id = $1', [jobId]);
    expect(row[0].requested_by).toBe('jwt:signup-backend');
    const refused = await gateway.call('/provisioning/status/00000000-0000-4000-8000-000000000000', {
      key: await token('someone-else'),
    });
    expect(refused.status).toBe(401);
  });

  it('rate limits each key on its own, answering 429 in the error shape', async () => {
    // The counters are shared by every gateway on the run's database: keys no other test uses.
    const [mine, other] = [`rate-mine-${randomUUID()}`, `rate-other-${randomUUID()}`];
    const limited = await startGateway(TASK_QUEUE, {
      RATE_LIMIT_PER_MINUTE: '3',
      PROVISIONING_API_KEYS: `${mine}:read,${other}:read`,
    });
    const status = (key: string) => limited.call('/provisioning/status/00000000-0000-4000-8000-000000000000', { key });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i += 1) codes.push((await status(mine)).status);
      expect(codes).toEqual([404, 404, 404, 429, 429]);
      expect(await json(await status(mine))).toMatchObject({ success: false, error: { code: 'RATE_LIMITED' } });
      // Another key has its own budget; health is never limited.
      expect((await status(other)).status).toBe(404);
      expect((await limited.call('/health', { key: null })).status).not.toBe(429);
    } finally {
      await limited.close();
    }
  });
});

import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { provisioningWorkflowId } from '../../src/domain/workflow-ids';
import { goDuration } from '../../src/provisioning/estimated-duration';
import { JobWriter } from '../../src/read-model/job-writer';
import { TemporalWorkflowDirectory } from '../../src/temporal/workflow-directory';
import { reconcileEnvironments } from '../../workflows/reconcile-environments.workflow';
import { startGateway, type ApiBody, type TestGateway } from '../support/gateway';
import { aProvisionRequest } from '../support/requests';
import { openIsolatedDatabase } from '../support/test-database';
import {
  eventually,
  openDatabase,
  openTemporalClient,
  realActivityDeps,
  startWorker,
  withStateDatabase,
  TEST_WORKFLOW_SETTINGS,
  type RunningWorker,
} from '../support/test-stack';

const TASK_QUEUE = 'idempotency';
const json = async (res: Response): Promise<ApiBody> => res.json();

// The real gateway, worker, Temporal and Postgres. Requests are retried and raced; each side of
// "row, then workflow" is made to fail for real (a missing namespace, an insert that raises).
describe('accepting a request exactly once', () => {
  let gateway: TestGateway;
  let worker: RunningWorker;
  let db: DataSource;
  let client: Client;

  beforeAll(async () => {
    db = await openDatabase();
    client = await openTemporalClient();
    gateway = await startGateway(TASK_QUEUE);
    worker = await startWorker(TASK_QUEUE, realActivityDeps(db, TASK_QUEUE));
  });
  afterAll(async () => {
    await worker?.stop();
    await gateway?.close();
    await client?.connection.close();
    await db?.destroy();
  });

  const runsOf = async (tenantId: string) =>
    (await client.workflow.count(`WorkflowId = '${provisioningWorkflowId(tenantId)}'`)).count;
  const rowsOf = async (tenantId: string) =>
    Number((await db.query('SELECT count(*) AS n FROM provisioning_jobs WHERE tenant_id = $1', [tenantId]))[0].n);

  it('answers fifty concurrent identical submits with one job, one row and one workflow', async () => {
    const request = aProvisionRequest();
    const key = `signup-${randomUUID()}`;
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        gateway.call('/provisioning/provision', { method: 'POST', json: request, headers: { 'idempotency-key': key } }),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(50).fill(202));
    const jobIds = new Set((await Promise.all(answers.map(json))).map((b) => b.job_id));
    expect(jobIds.size).toBe(1);
    expect(await rowsOf(request.tenant_id)).toBe(1);
    await eventually(
      () => runsOf(request.tenant_id),
      (n) => n === 1,
    );
    // A later retry, after the job has moved on, still gets the same job.
    const retry = await gateway.call('/provisioning/provision', {
      method: 'POST',
      json: request,
      headers: { 'idempotency-key': key },
    });
    expect((await json(retry)).job_id).toBe([...jobIds][0]);
  });

  it('answers fifty concurrent identical submits without a key with one 202 and 409s naming that job', async () => {
    const request = aProvisionRequest();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => gateway.call('/provisioning/provision', { method: 'POST', json: request })),
    );
    const bodies = await Promise.all(answers.map(json));
    const accepted = answers.flatMap((r, i) => (r.status === 202 ? [bodies[i]] : []));
    expect(accepted).toHaveLength(1);
    const refused = answers.flatMap((r, i) => (r.status === 409 ? [bodies[i]] : []));
    expect(refused).toHaveLength(49);
    for (const r of refused) expect(r.error).toMatchObject({ code: 'ENVIRONMENT_ALREADY_ACTIVE' });
    expect(refused.every((r) => r.error.job_id === accepted[0].job_id)).toBe(true);
    expect(await rowsOf(request.tenant_id)).toBe(1);
    await eventually(
      () => runsOf(request.tenant_id),
      (n) => n === 1,
    );
  });

  it('refuses a key reused for a different request with 422, and a second live environment for a tenant with 409', async () => {
    const request = aProvisionRequest();
    const key = `signup-${randomUUID()}`;
    const first = await json(
      await gateway.call('/provisioning/provision', {
        method: 'POST',
        json: request,
        headers: { 'idempotency-key': key },
      }),
    );
    const reused = await gateway.call('/provisioning/provision', {
      method: 'POST',
      json: { ...request, priority: 'critical' },
      headers: { 'idempotency-key': key },
    });
    expect(reused.status).toBe(422);
    expect((await json(reused)).error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', job_id: first.job_id });

    const second = await gateway.call('/provisioning/provision', { method: 'POST', json: request });
    expect(second.status).toBe(409);
    expect((await json(second)).error).toMatchObject({ code: 'ENVIRONMENT_ALREADY_ACTIVE', job_id: first.job_id });
    expect(await rowsOf(request.tenant_id)).toBe(1);
  });

  it('keeps the row when the workflow cannot start or its gateway dies before starting it, and the reconciliation sweep starts it', async () => {
    // A database of its own: the sweep looks at every job.
    const iso = await openIsolatedDatabase('divergence');
    const name = `${TASK_QUEUE}-sweep`;
    const broken = await startGateway(name, { DATABASE_URL: iso.url, TEMPORAL_NAMESPACE: 'no-such-namespace' });
    const directory = new TemporalWorkflowDirectory(client, { taskQueue: name, settings: TEST_WORKFLOW_SETTINGS });
    const deps = realActivityDeps(iso.db, name, {}, undefined, directory);
    const sweeper = await startWorker(name, withStateDatabase(deps, iso.url));
    try {
      // The answer comes once the row is committed, in the usual shape; the start fails behind it.
      const request = aProvisionRequest();
      const res = await broken.call('/provisioning/provision', { method: 'POST', json: request });
      expect(res.status).toBe(202);
      const { job_id: jobId, message } = await json(res);
      expect(message).toBe('Provisioning job queued successfully');
      // A gateway killed between its commit and the start leaves exactly this: the row, no run.
      const orphan = aProvisionRequest();
      const orphanJobId = randomUUID();
      await new JobWriter(iso.db).insertQueued({
        jobId: orphanJobId,
        workflowId: provisioningWorkflowId(orphan.tenant_id),
        request: orphan,
      });
      for (const r of [request, orphan]) {
        await expect(client.workflow.getHandle(provisioningWorkflowId(r.tenant_id)).describe()).rejects.toBeInstanceOf(
          WorkflowNotFoundError,
        );
      }

      const report = await client.workflow.execute(reconcileEnvironments, {
        taskQueue: name,
        workflowId: `sweep-${randomUUID()}`,
        args: [{ graceSeconds: 0 }],
      });
      expect(report.resolutions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ outcome: 'repaired', finding: expect.objectContaining({ jobId }) }),
          expect.objectContaining({ outcome: 'repaired', finding: expect.objectContaining({ jobId: orphanJobId }) }),
        ]),
      );
      expect(report.resolutions).toHaveLength(2);
      const done = await eventually(
        async () =>
          await iso.db.query('SELECT status FROM provisioning_jobs WHERE job_id = ANY($1)', [[jobId, orphanJobId]]),
        (rows: Array<{ status: string }>) => rows.length === 2 && rows.every((r) => r.status === 'completed'),
        180_000,
      );
      expect(done).toHaveLength(2);
      for (const r of [request, orphan])
        await client.workflow.getHandle(provisioningWorkflowId(r.tenant_id)).terminate('test over');
    } finally {
      await sweeper.stop();
      await broken.close();
      await iso.drop();
    }
  });

  it('estimates a tier from its typical duration, then from the durations it has observed', async () => {
    const iso = await openIsolatedDatabase('estimates');
    const name = `${TASK_QUEUE}-estimates`;
    const own = await startGateway(name, { DATABASE_URL: iso.url });
    const deps = realActivityDeps(iso.db, name);
    const estimator = await startWorker(name, withStateDatabase(deps, iso.url));
    try {
      const submit = async () =>
        json(
          await own.call('/provisioning/provision', {
            method: 'POST',
            json: aProvisionRequest({ tier: 'professional' }),
          }),
        );
      const first = await submit();
      expect(first).toMatchObject({ estimated_duration: '20m0s', estimated_duration_seconds: 1200 });
      const ready = await eventually(
        async () => json(await own.call(`/provisioning/status/${first.job_id}`)),
        (s: ApiBody) => s.status === 'completed',
      );
      const observed = ready.timings.actual_duration_seconds as number;
      expect(observed).toBeLessThan(120);
      expect(await submit()).toMatchObject({
        estimated_duration: goDuration(observed),
        estimated_duration_seconds: observed,
      });
    } finally {
      await estimator.stop();
      await own.close();
      await iso.drop();
    }
  });

  it('starts no workflow when the row cannot be written', async () => {
    const iso = await openIsolatedDatabase('no-row');
    await iso.db.query(
      `CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql`,
    );
    await iso.db.query(
      `CREATE TRIGGER refuse BEFORE INSERT ON provisioning_jobs FOR EACH ROW EXECUTE FUNCTION refuse()`,
    );
    const failing = await startGateway(TASK_QUEUE, { DATABASE_URL: iso.url });
    try {
      const request = aProvisionRequest();
      const res = await failing.call('/provisioning/provision', { method: 'POST', json: request });
      expect(res.status).toBe(500);
      expect(await json(res)).toMatchObject({ success: false, error: { code: 'INTERNAL', message: 'Internal error' } });
      await expect(
        client.workflow.getHandle(provisioningWorkflowId(request.tenant_id)).describe(),
      ).rejects.toBeInstanceOf(WorkflowNotFoundError);
    } finally {
      await failing.close();
      await iso.drop();
    }
  });
});

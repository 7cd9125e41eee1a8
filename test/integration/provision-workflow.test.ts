import type { Client } from '@temporalio/client';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { destroyNowUpdate, extendUpdate, runStateQuery } from '../../workflows/provision-environment.api';
import { workflowMetadataQuery } from '@temporalio/workflow';
import { ExpiresAt } from '../../src/temporal/search-attributes';
import type { ProvisionRequest } from '../../src/domain/provision-request';
import { JobReader } from '../../src/read-model/job-reader';
import { aProvisionRequest } from '../support/requests';
import {
  eventually,
  liveResources,
  openDatabase,
  openTemporalClient,
  realActivityDeps,
  ALL_RESOURCES,
  activityAttempts,
  startProvisioningRun,
  startWorker,
  stateResourceCount,
  testFolders,
  type RunningWorker,
} from '../support/test-stack';
import { replayAndRecord } from '../support/replay-history';

const HISTORY_FIXTURE = join(__dirname, '../fixtures/histories/provision-environment-destroyed.json');

// Everything here is real: Temporal dev server, worker, OpenTofu on the offline local stack,
// Postgres for the read model and for tofu state.
describe('provisionEnvironment workflow', () => {
  let db: DataSource;
  let client: Client;
  let reader: JobReader;
  const workers: RunningWorker[] = [];

  beforeAll(async () => {
    db = await openDatabase();
    client = await openTemporalClient();
    reader = new JobReader(db);
  });
  afterAll(async () => {
    for (const w of workers) await w.stop();
    await client.connection.close();
    await db.destroy();
  });

  const start = (taskQueue: string, request: ProvisionRequest) => startProvisioningRun(db, client, taskQueue, request);

  async function stepsOf(jobId: string): Promise<Array<{ status: string; step: string }>> {
    return db.query('SELECT status, step FROM job_events WHERE job_id = $1 ORDER BY seq', [jobId]);
  }

  const stateResources = (tenantId: string) => stateResourceCount(db, tenantId);

  it('provisions the environment, hands it over, and destroys it when it expires', async () => {
    const name = 'happy';
    const { environmentRoot, workspaceRoot } = testFolders(name);
    workers.push(await startWorker(name, realActivityDeps(db, name)));
    const request = aProvisionRequest({ expiresInMs: 12_000 });

    const { jobId, handle } = await start(name, request);

    const ready = await eventually(
      () => reader.findJob(jobId),
      (j) => j?.status === 'completed' || j?.status === 'destroyed',
    );
    expect(ready?.status).toBe('completed');
    expect(ready?.planSummary).toEqual({ add: 3, change: 0, destroy: 0 });
    expect(Object.keys(ready?.provisionedResources ?? {}).sort()).toEqual([
      'database_instance',
      'gke_cluster',
      'vpc_network',
    ]);
    expect(ready?.serviceEndpoints).toMatchObject({ api_endpoint: `https://api.${request.tenant_slug}.local.poc` });
    expect(liveResources(environmentRoot, request.tenant_slug)).toEqual(ALL_RESOURCES);
    expect(await stateResources(request.tenant_id)).toBe(3);

    await expect(handle.result()).resolves.toEqual({ outcome: 'destroyed', jobId });
    const done = await reader.findJob(jobId);
    expect(done?.status).toBe('destroyed');
    expect(liveResources(environmentRoot, request.tenant_slug)).toEqual([]);
    expect(existsSync(join(workspaceRoot, jobId))).toBe(false);
    // Destroy first, then workspace and state: the state is gone only after the resources.
    expect(await stateResources(request.tenant_id)).toBeNull();
    const steps = await stepsOf(jobId);
    expect(steps.map((s) => s.step)).toEqual([
      'create_workspace',
      'tofu_init',
      'tofu_plan',
      'tofu_apply',
      'extract_outputs',
      'issue_credentials',
      'waiting_for_expiry',
      'tofu_destroy',
      'prove_deletion',
      'cleanup_workspace',
      'cleanup_workspace',
    ]);
    expect(steps.at(-1)?.status).toBe('destroyed');

    // The recorded history replays deterministically against the current workflow code.
    await replayAndRecord(handle, HISTORY_FIXTURE);
  });

  it('fails permanently when a resource cannot be created, and destroys what was created', async () => {
    const name = 'failing';
    const { environmentRoot } = testFolders(name);
    workers.push(await startWorker(name, realActivityDeps(db, name, { failResource: 'database_instance' })));
    const request = aProvisionRequest();

    const { jobId, handle } = await start(name, request);

    const outcome = await handle.result();
    expect(outcome).toMatchObject({ outcome: 'failed', jobId, code: 'TOFU_RESOURCE_FAILED' });
    const job = await reader.findJob(jobId);
    expect(job?.status).toBe('failed');
    expect(job?.errorMessage).toMatch(/tofu apply failed/);
    expect(job?.errorDetails).toMatchObject({ code: 'TOFU_RESOURCE_FAILED', verb: 'apply' });
    // Compensation ran: whatever the failed apply created is gone, in the cloud and in state.
    expect(liveResources(environmentRoot, request.tenant_slug)).toEqual([]);
    expect(await stateResources(request.tenant_id)).toBeNull();
    // A permanent failure is not retried.
    expect((await activityAttempts(handle)).every((attempt) => attempt === 1)).toBe(true);
  });

  it('retries a transient failure and then completes, with each resource created once', async () => {
    const name = 'transient';
    const { environmentRoot } = testFolders(name);
    workers.push(await startWorker(name, realActivityDeps(db, name, { transientFailures: 1 })));
    const request = aProvisionRequest();

    const { jobId, handle } = await start(name, request);

    const job = await eventually(
      () => reader.findJob(jobId),
      (j) => j?.status === 'completed' || j?.status === 'failed',
    );
    expect(job?.status).toBe('completed');
    expect(liveResources(environmentRoot, request.tenant_slug)).toEqual(ALL_RESOURCES);
    expect(await stateResources(request.tenant_id)).toBe(3);
    expect(Math.max(...(await activityAttempts(handle)))).toBeGreaterThan(1);
    expect(job?.retryCount).toBeGreaterThan(0);
    await handle.terminate('test done');
  });

  it('stops tofu when cancelled during apply, destroys what was created, and ends cancelled', async () => {
    const name = 'cancel';
    const { environmentRoot, workspaceRoot } = testFolders(name);
    workers.push(await startWorker(name, realActivityDeps(db, name, { applyDelaySeconds: 6 })));
    const request = aProvisionRequest();

    const { jobId, handle } = await start(name, request);
    await eventually(
      () => reader.findJob(jobId),
      (j) => j?.currentStep === 'tofu_apply',
    );
    await new Promise((r) => setTimeout(r, 2000));
    await handle.cancel();

    await expect(handle.result()).rejects.toThrow();
    const { status } = await handle.describe();
    expect(status.name).toBe('CANCELLED');
    const job = await reader.findJob(jobId);
    expect(job?.status).toBe('cancelled');
    expect(job?.errorDetails).toMatchObject({ code: 'CANCELLED' });
    expect(liveResources(environmentRoot, request.tenant_slug)).toEqual([]);
    expect(await stateResources(request.tenant_id)).toBeNull();
    expect(existsSync(join(workspaceRoot, jobId))).toBe(false);
  });

  it('extends the expiry while waiting, refuses extensions the policy forbids, and destroys on destroyNow', async () => {
    const name = 'lifecycle';
    const { environmentRoot } = testFolders(name);
    workers.push(await startWorker(name, realActivityDeps(db, name)));
    const request = aProvisionRequest({ expiresInMs: 3600_000 });
    const { jobId, handle } = await start(name, request);
    await eventually(
      () => reader.findJob(jobId),
      (j) => j?.status === 'completed',
    );

    const later = new Date(Date.now() + 2 * 3600_000).toISOString();
    await expect(handle.executeUpdate(extendUpdate, { args: [{ expires_at: later }] })).resolves.toEqual({
      expires_at: later,
    });
    expect((await reader.findJob(jobId))?.expiresAt.toISOString()).toBe(later);
    expect((await handle.describe()).typedSearchAttributes.get(ExpiresAt)?.toISOString()).toBe(later);
    expect(await handle.query(runStateQuery)).toEqual({ phase: 'ready', status: 'completed', expires_at: later });
    // What the Web UI shows as the run's current details.
    const metadata = await handle.query(workflowMetadataQuery);
    expect(metadata.currentDetails).toContain('**completed** · step `extend` · 5/5 steps done');
    expect(metadata.currentDetails).toContain(`expires ${later}`);

    const beyondMaximum = new Date(Date.now() + 31 * 24 * 3600_000).toISOString();
    await expect(handle.executeUpdate(extendUpdate, { args: [{ expires_at: beyondMaximum }] })).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/at most 30 days after creation/) },
    });
    const earlier = new Date(Date.now() + 1800_000).toISOString();
    await expect(handle.executeUpdate(extendUpdate, { args: [{ expires_at: earlier }] })).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/later than the current expiry/) },
    });
    expect((await reader.findJob(jobId))?.expiresAt.toISOString()).toBe(later);

    await expect(handle.executeUpdate(destroyNowUpdate, { args: [{ reason: 'customer churned' }] })).resolves.toEqual({
      accepted: true,
    });
    await expect(handle.result()).resolves.toEqual({ outcome: 'destroyed', jobId });
    const done = await reader.findJob(jobId);
    expect(done?.status).toBe('destroyed');
    expect(liveResources(environmentRoot, request.tenant_slug)).toEqual([]);
    const reasons: Array<{ message: string }> = await db.query(
      `SELECT message FROM job_events WHERE job_id = $1 AND step = 'tofu_destroy'`,
      [jobId],
    );
    expect(reasons[0]?.message).toMatch(/customer churned/);
  });
});

import type { Client } from '@temporalio/client';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { JobStatus } from '../../src/domain/job-state-machine';
import type { Notification } from '../../src/domain/notification';
import { FleetFactsReader } from '../../src/read-model/fleet-facts';
import { JobReader } from '../../src/read-model/job-reader';
import { destroyNowUpdate, extendUpdate, runStateQuery } from '../../workflows/provision-environment.api';
import { aProvisionRequest } from '../support/requests';
import { editCloudObject, injectCloudFaults, pendingCloudFaults, pocResourceNames } from '../support/local-cloud';
import {
  ALL_RESOURCES,
  activityRetries,
  eventually,
  liveResources,
  openDatabase,
  openTemporalClient,
  realActivityDeps,
  startProvisioningRun,
  startWorker,
  stateResourceCount,
  testFolders,
  type RunningWorker,
} from '../support/test-stack';
import { expectForwardOnly } from '../support/job-moves';
import { replayAndRecord } from '../support/replay-history';
import { startWebhookReceiver } from '../support/webhook-receiver';

const DESTROY_FAILED_FIXTURE = join(__dirname, '../fixtures/histories/provision-environment-destroy-failed.json');
const SECRET = 'whsec-test-0123456789abcdef0123456789';

// Everything here is real: Temporal dev server, worker, OpenTofu on the offline local stack
// (whose database_instance can be given deletion protection), Postgres, an HTTP webhook receiver.
describe('provisionEnvironment under faults', () => {
  let db: DataSource;
  let client: Client;
  let reader: JobReader;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    db = await openDatabase();
    client = await openTemporalClient();
    reader = new JobReader(db);
  });
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
    await client.connection.close();
    await db.destroy();
  });

  async function worker(name: string, deps: Parameters<typeof startWorker>[1]): Promise<RunningWorker> {
    const w = await startWorker(name, deps);
    cleanups.push(w.stop);
    return w;
  }

  const statusesOf = async (jobId: string): Promise<JobStatus[]> => {
    const rows: Array<{ status: JobStatus }> = await db.query(
      'SELECT status FROM job_events WHERE job_id = $1 ORDER BY seq',
      [jobId],
    );
    return rows.map((e) => e.status);
  };

  // Issue 13 item 5 (d): the localcloud provider answers with googleapi-worded errors from the
  // cloud directory's faults.json, as Google's APIs do in an outage or with a quota used up.
  it('retries the apply while a create answers 503 and completes with each resource once, counting each retry and recording the 503 in the run history', async () => {
    const name = 'cloud-503';
    const { environmentRoot } = testFolders(name);
    await worker(name, realActivityDeps(db, name));
    const request = aProvisionRequest({ expiresInMs: 3600_000 });
    // The cluster's create answers 503 twice, then succeeds (counted down across tofu runs).
    injectCloudFaults(environmentRoot, [
      {
        resource: 'localcloud_cluster',
        call: 'create',
        name: pocResourceNames(request).gke_cluster,
        code: 503,
        count: 2,
      },
    ]);

    const { jobId, handle } = await startProvisioningRun(db, client, name, request);

    const job = await eventually(
      () => reader.findJob(jobId),
      (j) => j?.status === 'completed' || j?.status === 'failed',
      180_000,
    );
    expect(job?.status).toBe('completed');
    expect(pendingCloudFaults(environmentRoot)).toMatchObject([{ count: 0 }]);
    expect(liveResources(environmentRoot, request.tenant_slug)).toEqual(ALL_RESOURCES);
    expect(await stateResourceCount(db, request.tenant_id)).toBe(3);
    // Where the engine shows retries: the job's retry count (the API's retry_count: each retried
    // attempt) and the run's history (the Web UI: the apply's last attempt, 3, with the 503 that
    // failed the one before).
    expect(job?.retryCount).toBe(2);
    const retries = (await activityRetries(handle)).filter((r) => r.activity?.startsWith('tofu'));
    expect(retries).toEqual([
      {
        activity: 'tofuApply',
        attempt: 3,
        type: 'TOFU_TRANSIENT',
        message: expect.stringMatching(/^tofu apply failed: failed to create cluster/),
        details: expect.stringMatching(/googleapi: Error 503/),
      },
    ]);
    await handle.terminate('test done');
  });

  it('fails a create refused for quota as TOFU_QUOTA_EXCEEDED without a retry, and compensation leaves nothing of the tenant', async () => {
    const name = 'cloud-quota';
    const { environmentRoot, workspaceRoot } = testFolders(name);
    await worker(name, realActivityDeps(db, name));
    const request = aProvisionRequest();
    // The database instance's create is refused for quota, every time.
    injectCloudFaults(environmentRoot, [
      {
        resource: 'localcloud_database_instance',
        call: 'create',
        name: pocResourceNames(request).database_instance,
        code: 403,
        reason: 'quotaExceeded',
        count: -1,
      },
    ]);

    const { jobId, handle } = await startProvisioningRun(db, client, name, request);

    await expect(handle.result()).resolves.toMatchObject({ outcome: 'failed', jobId, code: 'TOFU_QUOTA_EXCEEDED' });
    const job = await reader.findJob(jobId);
    expect(job?.status).toBe('failed');
    expect(job?.errorMessage).toMatch(/^tofu apply failed: failed to create database instance/);
    expect(job?.errorDetails).toMatchObject({ code: 'TOFU_QUOTA_EXCEEDED', verb: 'apply' });
    expect(JSON.stringify(job?.errorDetails)).toMatch(/Quota 'CPUS' exceeded.*quotaExceeded/);
    expect(job?.errorDetails).not.toHaveProperty('compensation');
    // Not retried: no tofu step attempted twice, no retry counted.
    expect((await activityRetries(handle)).filter((r) => r.activity?.startsWith('tofu'))).toEqual([]);
    expect(job?.retryCount).toBe(0);
    // Compensation removed the rest (the network, at least, exists before the instance's create
    // is tried): nothing of the tenant in the cloud, its state and workspace gone.
    const statuses = await statusesOf(jobId);
    expect(statuses.slice(-2)).toEqual(['destroying', 'failed']);
    expectForwardOnly(statuses);
    expect(liveResources(environmentRoot, request.tenant_slug)).toEqual([]);
    expect(await stateResourceCount(db, request.tenant_id)).toBeNull();
    expect(existsSync(join(workspaceRoot, jobId))).toBe(false);
  });

  it('ends a destroy that cannot succeed destroy_failed with the error and what is left, tells the backend, and destroys on a retry asked for', async () => {
    const name = 'destroy-failed';
    const { environmentRoot } = testFolders(name);
    const receiver = await startWebhookReceiver();
    cleanups.push(receiver.close);
    await worker(
      name,
      realActivityDeps(
        db,
        name,
        { undeletableResource: 'database_instance' },
        { url: receiver.url, secret: SECRET, timeoutMs: 5000 },
      ),
    );
    const request = aProvisionRequest({ expiresInMs: 3600_000 });
    const { jobId, handle } = await startProvisioningRun(db, client, name, request, {
      destroyRetryInitialSeconds: 3600,
    });
    await eventually(
      () => reader.findJob(jobId),
      (j) => j?.status === 'completed',
    );

    await handle.executeUpdate(destroyNowUpdate, { args: [{ reason: 'customer churned' }] });
    const failed = await eventually(
      () => reader.findJob(jobId),
      (j) => j?.status === 'destroy_failed',
    );
    expect(failed?.errorMessage).toMatch(/tofu destroy failed/);
    expect(JSON.stringify(failed?.errorDetails)).toMatch(
      /deletion protection enabled.*failed to delete database instance/,
    );
    expect(failed?.errorDetails).toMatchObject({
      code: 'TOFU_RESOURCE_FAILED',
      attempt: 1,
      resources_left: [
        'module.poc.localcloud_database_instance.database_instance',
        'module.poc.localcloud_network.vpc_network',
      ],
    });
    const nextRetry = Date.parse(String(failed?.errorDetails?.next_retry_at));
    expect(nextRetry).toBeGreaterThan(Date.now() + 3000_000);
    // The run still drives the job: it waits on its retry timer, keeping workspace and state.
    expect((await handle.describe()).status.name).toBe('RUNNING');
    expect(await handle.query(runStateQuery)).toMatchObject({ status: 'destroy_failed', phase: 'destroy_failed' });
    expect(await stateResourceCount(db, request.tenant_id)).toBe(2);
    expect((await new FleetFactsReader(db).read()).destroyFailed).toEqual([
      { tier: request.poc_config.poc_tier, count: 1 },
    ]);
    const told = await eventually(
      () => Promise.resolve(receiver.received.map((r) => JSON.parse(r.body) as Notification)),
      (bodies) => bodies.some((b) => b.event === 'environment.destroy_failed'),
    );
    expect(told.find((b) => b.event === 'environment.destroy_failed')).toMatchObject({
      job_id: jobId,
      status: 'destroy_failed',
      error: { code: 'TOFU_RESOURCE_FAILED' },
      resources_left: [
        'module.poc.localcloud_database_instance.database_instance',
        'module.poc.localcloud_network.vpc_network',
      ],
    });
    // Extending is refused; destroying again is accepted.
    await expect(
      handle.executeUpdate(extendUpdate, { args: [{ expires_at: new Date(Date.now() + 7200_000).toISOString() }] }),
    ).rejects.toMatchObject({ cause: { type: 'INVALID_STATE' } });

    // An engineer lifts the protection; the caller asks again.
    editCloudObject(environmentRoot, request.tenant_slug, 'database_instance', { deletion_protection: false });
    await expect(handle.executeUpdate(destroyNowUpdate, { args: [{ reason: 'retry' }] })).resolves.toEqual({
      accepted: true,
    });
    await expect(handle.result()).resolves.toEqual({ outcome: 'destroyed', jobId });
    expect((await reader.findJob(jobId))?.status).toBe('destroyed');
    expect(liveResources(environmentRoot, request.tenant_slug)).toEqual([]);
    expect(await stateResourceCount(db, request.tenant_id)).toBeNull();
    const statuses = await statusesOf(jobId);
    expect(statuses.slice(-5)).toEqual(['destroy_failed', 'destroying', 'destroying', 'destroying', 'destroyed']);
    expectForwardOnly(statuses);

    await replayAndRecord(handle, DESTROY_FAILED_FIXTURE);
  });

  it('retries a failed destroy by itself on its backoff timer', async () => {
    const name = 'destroy-backoff';
    const { environmentRoot } = testFolders(name);
    await worker(name, realActivityDeps(db, name, { undeletableResource: 'gke_cluster' }));
    const request = aProvisionRequest({ expiresInMs: 3600_000 });
    const { jobId, handle } = await startProvisioningRun(db, client, name, request, {
      destroyRetryInitialSeconds: 3,
    });
    await eventually(
      () => reader.findJob(jobId),
      (j) => j?.status === 'completed',
    );
    await handle.executeUpdate(destroyNowUpdate, { args: [{}] });
    await eventually(
      () => reader.findJob(jobId),
      (j) => j?.status === 'destroy_failed',
    );
    editCloudObject(environmentRoot, request.tenant_slug, 'gke_cluster', { deletion_protection: false });

    await expect(handle.result()).resolves.toEqual({ outcome: 'destroyed', jobId });
    expect(liveResources(environmentRoot, request.tenant_slug)).toEqual([]);
    const messages: Array<{ message: string }> = await db.query(
      `SELECT message FROM job_events WHERE job_id = $1 AND step = 'tofu_destroy' ORDER BY seq`,
      [jobId],
    );
    expect(messages.at(-1)?.message).toMatch(/Destroy retried after attempt \d+ failed/);
  });

  it('records every accepted extend once and never moves the status backwards when extends race provisioning', async () => {
    const name = 'extend-race';
    await worker(name, realActivityDeps(db, name, { applyDelaySeconds: 1 }));
    const request = aProvisionRequest({ expiresInMs: 3600_000 });
    const { jobId, handle } = await startProvisioningRun(db, client, name, request);

    // Waves of 24 parallel extends, each to a later expiry, from the start until after the job is ready.
    const accepted: string[] = [];
    const base = Date.now() + 2 * 3600_000;
    let sent = 0;
    const extend = async (n: number) => {
      const expires = new Date(base + n * 60_000).toISOString();
      try {
        await handle.executeUpdate(extendUpdate, { args: [{ expires_at: expires }] });
        accepted.push(expires);
      } catch {
        // refused: a later expiry was applied first (validated against the current one)
      }
    };
    let readyWaves = 0;
    while (sent < 240 && readyWaves < 2) {
      await Promise.all(Array.from({ length: 24 }, () => extend((sent += 1))));
      if ((await reader.findJob(jobId))?.status === 'completed') readyWaves += 1;
    }
    expect(sent).toBeGreaterThanOrEqual(24);
    expect(accepted.length).toBeGreaterThan(0);

    const events: Array<{ step: string; status: JobStatus; expires_at: string | null }> = await db.query(
      `SELECT step, status, details->>'expires_at' AS expires_at FROM job_events WHERE job_id = $1 ORDER BY seq`,
      [jobId],
    );
    const recorded = events.filter((e) => e.step === 'extend').map((e) => e.expires_at);
    expect([...recorded].sort()).toEqual([...accepted].sort());
    expectForwardOnly(events.map((e) => e.status));
    expect(events.filter((e) => e.step === 'waiting_for_expiry')).toHaveLength(1);
    await handle.terminate('test done');
  });

  it('destroys a job asked to be destroyed for a reason holding a NUL byte, recording the reason without it', async () => {
    const name = 'nul-reason';
    await worker(name, realActivityDeps(db, name));
    const request = aProvisionRequest({ expiresInMs: 3600_000 });
    const { jobId, handle } = await startProvisioningRun(db, client, name, request);
    await eventually(
      () => reader.findJob(jobId),
      (j) => j?.status === 'completed',
    );
    await handle.executeUpdate(destroyNowUpdate, { args: [{ reason: 'a\u0000b' }] });
    await expect(handle.result()).resolves.toEqual({ outcome: 'destroyed', jobId });
    const [destroy]: Array<{ message: string }> = await db.query(
      `SELECT message FROM job_events WHERE job_id = $1 AND step = 'tofu_destroy'`,
      [jobId],
    );
    expect(destroy?.message).toBe('Destroy requested (ab): destroying the environment');
  });

  it('frees the tenant as soon as it is destroyed, even when the webhook receiver never answers', async () => {
    const name = 'webhook-silent';
    const sockets = new Set<Socket>();
    let requests = 0;
    // A receiver that accepts connections and reads requests but never answers them.
    const silent: Server = createServer(() => {
      requests += 1;
    });
    silent.on('connection', (s) => sockets.add(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/hooks/poc`;
    await worker(name, realActivityDeps(db, name, {}, { url, secret: SECRET, timeoutMs: 20_000 }));

    const request = aProvisionRequest({ expiresInMs: 3600_000 });
    const first = await startProvisioningRun(db, client, name, request);
    await eventually(
      () => reader.findJob(first.jobId),
      (j) => j?.status === 'completed',
    );
    await first.handle.executeUpdate(destroyNowUpdate, { args: [{}] });
    // The run ends although the receiver has answered nothing.
    await expect(first.handle.result()).resolves.toEqual({ outcome: 'destroyed', jobId: first.jobId });
    await eventually(
      () => Promise.resolve(requests),
      (n) => n > 0,
    );

    // The tenant is free: a new run with the same workflow id starts and provisions.
    const second = await startProvisioningRun(db, client, name, request);
    await eventually(
      () => reader.findJob(second.jobId),
      (j) => j?.status === 'completed',
    );
    await second.handle.terminate('test done');
  });
});

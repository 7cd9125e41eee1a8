import { decodeOptionalFailureToOptionalError, loadDataConverter } from '@temporalio/common/lib/internal-non-workflow';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { createActivities } from '../../activities/create-activities';
import type { Discrepancy } from '../../src/domain/reconciliation';
import { stateSchemaName } from '../../src/domain/workflow-ids';
import type { ProvisionRequest } from '../../src/domain/provision-request';
import { JobReader } from '../../src/read-model/job-reader';
import type { WorkflowDirectory } from '../../src/temporal/workflow-directory';
import { destroyNowUpdate } from '../../workflows/provision-environment.api';
import { aProvisionRequest } from '../support/requests';
import {
  ALL_RESOURCES,
  activityAttempts,
  eventually,
  liveResources,
  openDatabase,
  openTemporalClient,
  realActivityDeps,
  startProvisioningRun,
  startWorker,
  stateResourceCount,
  testDataConverter,
  testFolders,
  withStateDatabase,
  type RunningWorker,
} from '../support/test-stack';
import { testEnv } from '../support/test-env';
import { cloudObject, plantCloudObject, tenantObjects } from '../support/local-cloud';

/**
 * A TCP proxy in front of Postgres that the test can cut and restore: the state backend goes
 * away for tofu (connections reset, new ones refused) while the machine's Postgres, and the
 * read model on its direct connection, stay up.
 */
class CuttableProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly host: string,
    private readonly targetPort: number,
  ) {}

  async open(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.targetPort, this.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** Resets every connection and refuses new ones (the port is closed). */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

/** pids of processes whose working directory is `cwd` and whose argv matches. */
function processesIn(cwd: string, argv: (args: string[]) => boolean): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`) !== cwd) continue;
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (argv(args)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}
const tofuApplyIn = (workspace: string) =>
  processesIn(workspace, (a) => (a[0] ?? '').endsWith('tofu') && a[1] === 'apply');
/** Whether the local cloud is creating an object of the tenant (its create operation is under way). */
const creating = (environmentRoot: string, tenantSlug: string) =>
  tenantObjects(environmentRoot, tenantSlug).some((o) => o.status === 'PROVISIONING');

/** Runs `fn` as an activity would run (with an activity Context). */
function inActivity<R>(fn: () => Promise<R>): Promise<R> {
  const env = new MockActivityEnvironment();
  return env.run<[], R, () => Promise<R>>(fn);
}

// Real Temporal dev server, worker, OpenTofu on the local stack and Postgres. The localcloud
// provider's documents are the cloud: each test asserts that every resource exists exactly once or not
// at all, and that nothing is left without a job (or a report) that owns it.
describe('tofu interrupted mid-apply', () => {
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

  const settle = (jobId: string, statuses: string[]) =>
    eventually(
      () => reader.findJob(jobId),
      (j) => statuses.includes(j?.status ?? ''),
      180_000,
    );

  /** Destroys a completed environment and checks that nothing of it is left. */
  async function destroyAndCheck(
    handle: WorkflowHandle,
    environmentRoot: string,
    workspaceRoot: string,
    jobId: string,
    request: ProvisionRequest,
  ) {
    await handle.executeUpdate(destroyNowUpdate, { args: [{ reason: 'test done' }] });
    await expect(handle.result()).resolves.toMatchObject({ outcome: 'destroyed' });
    expect(liveResources(environmentRoot, request.tenant_slug)).toEqual([]);
    expect(await stateResourceCount(db, request.tenant_id)).toBeNull();
    expect(existsSync(join(workspaceRoot, jobId))).toBe(false);
  }

  it('adopts a resource of the same tenant that an interrupted apply created but never recorded', async () => {
    const name = 'tofu-adopt';
    const { environmentRoot, workspaceRoot } = testFolders(name);
    workers.push(await startWorker(name, realActivityDeps(db, name)));
    const request = aProvisionRequest();
    plantCloudObject(environmentRoot, request, 'vpc_network', request.tenant_id);

    const { jobId, handle } = await startProvisioningRun(db, client, name, request);

    expect((await settle(jobId, ['completed', 'failed']))?.status).toBe('completed');
    expect(liveResources(environmentRoot, request.tenant_slug)).toEqual(ALL_RESOURCES);
    expect(await stateResourceCount(db, request.tenant_id)).toBe(3);
    // Adopted and brought up to date with this environment's inputs.
    const adopted = cloudObject(environmentRoot, request.tenant_slug, 'vpc_network');
    expect(adopted.labels).toMatchObject({
      tenant_id: request.tenant_id.toLowerCase(),
      poc_tier: request.poc_config.poc_tier,
      managed_by: 'poc-provisioning-engine',
    });
    expect((await activityAttempts(handle)).every((a) => a === 1)).toBe(true);
    await destroyAndCheck(handle, environmentRoot, workspaceRoot, jobId, request);
  });

  it('refuses a resource of another tenant with a coded permanent failure, and leaves it untouched', async () => {
    const name = 'tofu-foreign';
    const { environmentRoot, workspaceRoot } = testFolders(name);
    workers.push(await startWorker(name, realActivityDeps(db, name)));
    const request = aProvisionRequest();
    const { file: marker } = plantCloudObject(environmentRoot, request, 'gke_cluster', randomUUID());
    const foreign = readFileSync(marker, 'utf8');

    const { jobId, handle } = await startProvisioningRun(db, client, name, request);

    await expect(handle.result()).resolves.toMatchObject({
      outcome: 'failed',
      code: 'RESOURCE_OWNED_BY_ANOTHER_TENANT',
    });
    const job = await reader.findJob(jobId);
    expect(job?.status).toBe('failed');
    expect(job?.errorDetails).toMatchObject({ code: 'RESOURCE_OWNED_BY_ANOTHER_TENANT' });
    // Never retried, never looped.
    expect((await activityAttempts(handle)).every((a) => a === 1)).toBe(true);
    // What this job created was destroyed; the other tenant's resource was not touched.
    expect(liveResources(environmentRoot, request.tenant_slug)).toEqual(['gke_cluster']);
    expect(readFileSync(marker, 'utf8')).toBe(foreign);
    expect(await stateResourceCount(db, request.tenant_id)).toBeNull();
    expect(existsSync(join(workspaceRoot, jobId))).toBe(false);
  });

  it('adopts on retry what the cloud went on creating after tofu apply was SIGKILLed, naming the signal', async () => {
    const name = 'tofu-sigkill';
    const { environmentRoot, workspaceRoot } = testFolders(name);
    workers.push(await startWorker(name, realActivityDeps(db, name, { applyDelaySeconds: 3 })));
    const request = aProvisionRequest();

    const { jobId, handle } = await startProvisioningRun(db, client, name, request);
    const workspace = join(workspaceRoot, jobId);
    // Kill tofu alone once it has started creating: the cloud's create operation goes on without it.
    const [tofu] = await eventually(
      () => Promise.resolve(creating(environmentRoot, request.tenant_slug) ? tofuApplyIn(workspace) : []),
      (pids) => pids.length === 1,
      120_000,
    );
    process.kill(tofu, 'SIGKILL');

    // The retry says why the first attempt failed (failures are sealed in the history: read
    // them through the engine's data converter, as the Web UI does through the codec server).
    const converter = loadDataConverter(testDataConverter());
    const lastFailures = async () =>
      Promise.all(
        ((await handle.describe()).raw.pendingActivities ?? []).map(
          async (a) => (await decodeOptionalFailureToOptionalError(converter, a.lastFailure))?.message,
        ),
      );
    const messages = await eventually(
      lastFailures,
      (found) => found.some((m) => m?.includes('killed by SIGKILL')),
      120_000,
    );
    expect(messages).toContain('tofu apply was killed by SIGKILL');

    expect((await settle(jobId, ['completed', 'failed']))?.status).toBe('completed');
    expect(liveResources(environmentRoot, request.tenant_slug)).toEqual(ALL_RESOURCES);
    expect(await stateResourceCount(db, request.tenant_id)).toBe(3);
    await destroyAndCheck(handle, environmentRoot, workspaceRoot, jobId, request);
  });

  it('pushes the state tofu could not save when Postgres went away mid-apply, then completes without another attempt', async () => {
    const name = 'tofu-pg-outage';
    const { environmentRoot, workspaceRoot } = testFolders(name);
    const pg = new URL(testEnv('databaseUrl'));
    const proxy = new CuttableProxy(pg.hostname, Number(pg.port || 5432));
    await proxy.open();
    const viaProxy = new URL(pg);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const deps = withStateDatabase(realActivityDeps(db, name, { applyDelaySeconds: 3 }), viaProxy.toString());
    workers.push(await startWorker(name, deps));
    const request = aProvisionRequest();

    const { jobId, handle } = await startProvisioningRun(db, client, name, request);
    const workspace = join(workspaceRoot, jobId);
    // Cut the state backend while tofu applies, and keep it away until tofu has given up.
    await eventually(
      () => Promise.resolve(tofuApplyIn(workspace).length > 0 && creating(environmentRoot, request.tenant_slug)),
      (applying) => applying,
      120_000,
    );
    await proxy.cut();
    await eventually(
      () => Promise.resolve(tofuApplyIn(workspace).length),
      (n) => n === 0,
      120_000,
    );
    // tofu could not save: the only record of what it created is in the workspace.
    expect(existsSync(join(workspace, 'errored.tfstate'))).toBe(true);
    await proxy.open();

    expect((await settle(jobId, ['completed', 'failed']))?.status).toBe('completed');
    expect(liveResources(environmentRoot, request.tenant_slug)).toEqual(ALL_RESOURCES);
    expect(await stateResourceCount(db, request.tenant_id)).toBe(3);
    expect(existsSync(join(workspace, 'errored.tfstate'))).toBe(false);
    expect(readdirSync(workspace).some((f) => f.startsWith('errored.tfstate.pushed-'))).toBe(true);
    // The outage was waited out inside the attempt: no attempt meant for tofu's failures was spent.
    expect((await activityAttempts(handle)).every((a) => a === 1)).toBe(true);
    await destroyAndCheck(handle, environmentRoot, workspaceRoot, jobId, request);
    await proxy.cut();
  });
});

describe('a tofu step while its dependencies are away', () => {
  it('waits for the state backend, heartbeating, and never fails on the read model being away', async () => {
    const db = await openDatabase();
    const pg = new URL(testEnv('databaseUrl'));
    const proxy = new CuttableProxy(pg.hostname, Number(pg.port || 5432));
    await proxy.open();
    await proxy.cut(); // the state backend is away before the step starts
    try {
      const name = 'tofu-wait-backend';
      const viaProxy = new URL(pg);
      viaProxy.hostname = '127.0.0.1';
      viaProxy.port = String(proxy.port);
      const deps = withStateDatabase(realActivityDeps(db, name), viaProxy.toString());
      // The read model refuses every write, as when its Postgres is stopped.
      const refused = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
      const activities = createActivities({ ...deps, jobs: { ...deps.jobs, recordRetry: refused } });
      const request = aProvisionRequest();
      const job = { jobId: randomUUID(), request };
      const now = Date.now();
      const env = new MockActivityEnvironment({
        attempt: 2,
        heartbeatTimeoutMs: 30_000,
        startToCloseTimeoutMs: 600_000,
        currentAttemptScheduledTimestampMs: now,
      });
      const heartbeats: unknown[] = [];
      env.on('heartbeat', (d: unknown) => {
        heartbeats.push(d);
        // The backend comes back only once the step has said it waits for it.
        if ((d as { waiting_for?: string }).waiting_for === 'state_backend' && heartbeats.length === 1)
          void proxy.open();
      });

      const plan = await env.run<[], unknown, () => Promise<unknown>>(() => activities.tofuPlan(job));

      expect(plan).toEqual({ add: 3, change: 0, destroy: 0 });
      expect(heartbeats[0]).toMatchObject({ waiting_for: 'state_backend' });
    } finally {
      await proxy.cut();
      await db.destroy();
    }
  });
});

describe('what holds the only record of resources is kept', () => {
  let db: DataSource;
  beforeAll(async () => {
    db = await openDatabase();
  });
  afterAll(() => db.destroy());

  it('refuses to remove a workspace holding state tofu could not save, and state that still tracks resources', async () => {
    const name = 'tofu-keep';
    const { workspaceRoot } = testFolders(name);
    const activities = createActivities(realActivityDeps(db, name));
    const request = aProvisionRequest();
    const job = { jobId: randomUUID(), request };
    const workspace = join(workspaceRoot, job.jobId);
    mkdirSync(workspace, { recursive: true });
    writeFileSync(join(workspace, 'errored.tfstate'), '{"version":4,"resources":[{"name":"vpc"}]}');
    const schema = stateSchemaName(request.tenant_id);
    await db.query(`CREATE SCHEMA "${schema}"`);
    await db.query(`CREATE TABLE "${schema}".states (id bigserial PRIMARY KEY, name text, data text)`);
    await db.query(`INSERT INTO "${schema}".states (name, data) VALUES ('default', $1)`, [
      JSON.stringify({ version: 4, resources: [{ name: 'vpc' }, { name: 'gke' }] }),
    ]);

    await expect(inActivity(() => activities.cleanupWorkspace(job))).rejects.toMatchObject({
      type: 'UNSAVED_STATE_KEPT',
      nonRetryable: true,
    });
    await expect(inActivity(() => activities.removeState(job))).rejects.toMatchObject({
      type: 'STATE_STILL_TRACKS_RESOURCES',
      nonRetryable: true,
    });
    expect(existsSync(join(workspace, 'errored.tfstate'))).toBe(true);
    expect(await stateResourceCount(db, request.tenant_id)).toBe(2);
    await db.query(`DROP SCHEMA "${schema}" CASCADE`);
  });

  it('keeps unsaved state the backend refuses (another lineage) and destroys nothing on top of it', async () => {
    const name = 'tofu-refused-push';
    const { environmentRoot, workspaceRoot } = testFolders(name);
    const activities = createActivities(realActivityDeps(db, name));
    const request = aProvisionRequest();
    const job = { jobId: randomUUID(), request };
    const step = <R>(fn: () => Promise<R>) =>
      new MockActivityEnvironment({
        startToCloseTimeoutMs: 120_000,
        currentAttemptScheduledTimestampMs: Date.now(),
      }).run<[], R, () => Promise<R>>(fn);
    await step(() => activities.tofuInit(job));
    await step(() => activities.tofuPlan(job));
    await step(() => activities.tofuApply(job));
    expect(liveResources(environmentRoot, request.tenant_slug)).toEqual(ALL_RESOURCES);
    const errored = join(workspaceRoot, job.jobId, 'errored.tfstate');
    writeFileSync(
      errored,
      JSON.stringify({
        version: 4,
        terraform_version: '1.6.3',
        serial: 1,
        lineage: randomUUID(),
        outputs: {},
        resources: [],
      }),
    );

    await expect(step(() => activities.tofuDestroy(job))).rejects.toMatchObject({
      type: 'UNSAVED_STATE_KEPT',
      nonRetryable: true,
    });
    expect(existsSync(errored)).toBe(true);
    expect(liveResources(environmentRoot, request.tenant_slug)).toEqual(ALL_RESOURCES);
    expect(await stateResourceCount(db, request.tenant_id)).toBe(3);

    // An engineer set the stale file aside: the destroy runs, and nothing is left.
    rmSync(errored);
    await step(() => activities.tofuDestroy(job));
    await step(() => activities.removeState(job));
    expect(liveResources(environmentRoot, request.tenant_slug)).toEqual([]);
    expect(await stateResourceCount(db, request.tenant_id)).toBeNull();
  });

  it('ends a step whose state backend stays away past its attempt as DEPENDENCY_UNAVAILABLE, retryable', async () => {
    const name = 'tofu-backend-gone';
    // Nothing listens on this port: the state backend is away for the whole attempt.
    const closed = new CuttableProxy('127.0.0.1', 1);
    await closed.open();
    await closed.cut();
    const away = new URL(testEnv('databaseUrl'));
    away.hostname = '127.0.0.1';
    away.port = String(closed.port);
    const activities = createActivities(withStateDatabase(realActivityDeps(db, name), away.toString()));
    const job = { jobId: randomUUID(), request: aProvisionRequest() };
    const env = new MockActivityEnvironment({
      startToCloseTimeoutMs: 8_000,
      currentAttemptScheduledTimestampMs: Date.now(),
    });

    const failure = await env
      .run<[], unknown, () => Promise<unknown>>(() => activities.tofuDestroy(job))
      .catch((e: unknown) => e);

    expect(failure).toMatchObject({
      type: 'DEPENDENCY_UNAVAILABLE',
      nonRetryable: false,
      message: expect.stringMatching(/state backend did not answer/),
    });
  });
});

describe('the reconciliation sweep over the local cloud', () => {
  it('reports resources carrying a tenant’s labels that no state tracks and no job owns', async () => {
    const db = await openDatabase();
    try {
      const name = 'tofu-sweep';
      const { environmentRoot } = testFolders(name);
      // Every live job of the shared database counts as running: only the cloud is under test.
      const running: WorkflowDirectory = {
        presence: () => Promise.resolve('running'),
        requestDestroy: () => Promise.reject(new Error('not in this test')),
        startProvisioning: () => Promise.reject(new Error('not in this test')),
      };
      const activities = createActivities(realActivityDeps(db, name, {}, undefined, running));
      const orphan = aProvisionRequest();
      const { file: marker, selfLink } = plantCloudObject(
        environmentRoot,
        orphan,
        'database_instance',
        orphan.tenant_id,
      );

      const findings = await inActivity(() => activities.findDiscrepancies({ graceSeconds: 0 }));

      const untracked = findings.filter(
        (f): f is Extract<Discrepancy, { kind: 'untracked_resources' }> =>
          f.kind === 'untracked_resources' && f.tenantId === orphan.tenant_id,
      );
      expect(untracked).toEqual([
        {
          kind: 'untracked_resources',
          tenantId: orphan.tenant_id,
          tenantSlug: orphan.tenant_slug,
          resources: [selfLink],
          tracked: 0,
        },
      ]);
      const resolution = await inActivity(() => activities.repairDiscrepancy(untracked[0]));
      expect(resolution).toMatchObject({ outcome: 'reported', reason: expect.stringMatching(/1 resources/) });
      // Reported, not removed: an engineer decides.
      expect(existsSync(marker)).toBe(true);
    } finally {
      await db.destroy();
    }
  });
});

import { MockActivityEnvironment } from '@temporalio/testing';
import type { Client } from '@temporalio/client';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { createActivities } from '../../activities/create-activities';
import { LocalCloudInventory } from '../../activities/reconcile/cloud-inventory';
import type { JobStatus } from '../../src/domain/job-state-machine';
import type { Notification } from '../../src/domain/notification';
import type { ProvisionRequest } from '../../src/domain/provision-request';
import { toStatusView } from '../../src/provisioning/job-status.view';
import { FleetFactsReader } from '../../src/read-model/fleet-facts';
import { JobReader } from '../../src/read-model/job-reader';
import type { WorkflowDirectory } from '../../src/temporal/workflow-directory';
import { destroyNowUpdate, runStateQuery } from '../../workflows/provision-environment.api';
import { aProvisionRequest } from '../support/requests';
import { cloudObject, pocResourceNames } from '../support/local-cloud';
import { expectForwardOnly } from '../support/job-moves';
import { replayAndRecord } from '../support/replay-history';
import {
  eventually,
  liveResources,
  openDatabase,
  openTemporalClient,
  realActivityDeps,
  startProvisioningRun,
  startWorker,
  stateResourceCount,
  testFolders,
} from '../support/test-stack';
import { startWebhookReceiver } from '../support/webhook-receiver';

const DESTROY_INCOMPLETE_FIXTURE = join(
  __dirname,
  '../fixtures/histories/provision-environment-destroy-incomplete.json',
);
const SECRET = 'whsec-test-0123456789abcdef0123456789';

/**
 * An object made in the local cloud outside tofu, carrying the tenant's labels, as an engineer's
 * console or a provider side effect would leave it: tofu's state never hears of it.
 */
function plantOutsideTofu(environmentRoot: string, request: ProvisionRequest, name: string) {
  const dir = join(environmentRoot, 'instances');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  const selfLink = `projects/local/instances/${name}`;
  const labels = { tenant: request.tenant_slug, tenant_id: request.tenant_id, managed_by: 'poc-provisioning-engine' };
  writeFileSync(file, JSON.stringify({ name, self_link: selfLink, status: 'RUNNING', labels }));
  return { file, selfLink };
}

// Everything is real: Temporal dev server, worker, OpenTofu on the local stack's localcloud
// provider (its documents are the cloud), Postgres, an HTTP webhook receiver.
describe('proof of deletion', () => {
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

  async function engine(name: string, simulate: Parameters<typeof realActivityDeps>[2] = {}) {
    const receiver = await startWebhookReceiver();
    cleanups.push(receiver.close);
    const w = await startWorker(
      name,
      realActivityDeps(db, name, simulate, { url: receiver.url, secret: SECRET, timeoutMs: 5000 }),
    );
    cleanups.push(w.stop);
    const told = (event: string) =>
      eventually(
        () => Promise.resolve(receiver.received.map((r) => JSON.parse(r.body) as Notification)),
        (bodies) => bodies.some((b) => b.event === event),
      ).then((bodies) => bodies.find((b) => b.event === event));
    return { told };
  }

  const eventsOf = (jobId: string): Promise<Array<{ status: JobStatus; step: string; details: unknown }>> =>
    db.query('SELECT status, step, details FROM job_events WHERE job_id = $1 ORDER BY seq', [jobId]);

  /** A run of a request expiring in an hour, once its environment is ready. */
  async function readyRun(name: string, settings: Parameters<typeof startProvisioningRun>[4] = {}) {
    const request = aProvisionRequest({ expiresInMs: 3600_000 });
    const run = await startProvisioningRun(db, client, name, request, settings);
    await eventually(
      () => reader.findJob(run.jobId),
      (j) => j?.status === 'completed' || j?.status === 'failed',
    );
    return { ...run, request };
  }

  it('destroys an environment one of whose objects was deleted out of band before its expiry, and proves nothing is left', async () => {
    const name = 'proof-out-of-band';
    const { environmentRoot, workspaceRoot } = testFolders(name);
    await engine(name);
    const { jobId, handle, request } = await readyRun(name);
    // Somebody deletes the cluster in the console while the environment is live.
    rmSync(cloudObject(environmentRoot, request.tenant_slug, 'gke_cluster').file);

    await handle.executeUpdate(destroyNowUpdate, { args: [{ reason: 'customer churned' }] });

    await expect(handle.result()).resolves.toEqual({ outcome: 'destroyed', jobId });
    expect((await reader.findJob(jobId))?.status).toBe('destroyed');
    expect(liveResources(environmentRoot, request.tenant_slug)).toEqual([]);
    expect(existsSync(join(workspaceRoot, jobId))).toBe(false);
    expect(await stateResourceCount(db, request.tenant_id)).toBeNull();
    const steps = (await eventsOf(jobId)).map((e) => e.step);
    // Proved after tofu's destroy, before the workspace and state are removed.
    expect(steps.slice(-4)).toEqual(['tofu_destroy', 'prove_deletion', 'cleanup_workspace', 'cleanup_workspace']);
  });

  it('ends a destroy that leaves an object made outside tofu destroy_incomplete naming it, tells the backend, and ends destroyed on a retry once it is gone', async () => {
    const name = 'proof-left';
    const { environmentRoot, workspaceRoot } = testFolders(name);
    const { told } = await engine(name);
    const { jobId, handle, request } = await readyRun(name, { destroyRetryInitialSeconds: 3600 });
    const planted = plantOutsideTofu(environmentRoot, request, `${request.tenant_slug}-debug-vm`);

    await handle.executeUpdate(destroyNowUpdate, { args: [{ reason: 'customer churned' }] });
    const incomplete = await eventually(
      () => reader.findJob(jobId),
      (j) => j?.status === 'destroy_incomplete' || j?.status === 'destroyed' || j?.status === 'destroy_failed',
    );

    // The status answer names what is left, and offers the retry.
    expect(incomplete?.status).toBe('destroy_incomplete');
    const view = toStatusView(incomplete!);
    expect(view).toMatchObject({
      status: 'destroy_incomplete',
      error_message: '1 resource of the tenant is still in the cloud',
      error_details: { code: 'RESOURCES_LEFT', resources_left: [planted.selfLink], attempt: 1 },
      actions: { can_cancel: false, can_extend: false, can_destroy: true },
    });
    expect(Date.parse(String(view.error_details?.next_retry_at))).toBeGreaterThan(Date.now() + 3000_000);
    // tofu's own resources are gone; the workspace and state are kept for the retry.
    expect(liveResources(environmentRoot, request.tenant_slug)).toEqual(['database_instance']);
    expect(existsSync(join(workspaceRoot, jobId))).toBe(true);
    expect(await stateResourceCount(db, request.tenant_id)).toBe(0);
    // The events say it, the backend is told, the fleet gauge counts it, and the run still drives it.
    expect((await eventsOf(jobId)).at(-1)).toMatchObject({
      status: 'destroy_incomplete',
      step: 'prove_deletion',
      details: { kind: 'failed', resources_left: [planted.selfLink] },
    });
    expect(await told('environment.destroy_incomplete')).toMatchObject({
      job_id: jobId,
      status: 'destroy_incomplete',
      error: { code: 'RESOURCES_LEFT' },
      resources_left: [planted.selfLink],
      next_retry_at: view.error_details?.next_retry_at,
    });
    // Other files share the database: at least this job is counted in its tier.
    const gauge = (await new FleetFactsReader(db).read()).destroyIncomplete;
    expect(gauge.find((g) => g.tier === request.poc_config.poc_tier)?.count).toBeGreaterThanOrEqual(1);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    expect(await handle.query(runStateQuery)).toMatchObject({ status: 'destroy_incomplete' });

    // An engineer removes it; the caller asks again (what POST /destroy sends).
    rmSync(planted.file);
    await expect(handle.executeUpdate(destroyNowUpdate, { args: [{ reason: 'retry' }] })).resolves.toEqual({
      accepted: true,
    });

    await expect(handle.result()).resolves.toEqual({ outcome: 'destroyed', jobId });
    expect((await reader.findJob(jobId))?.status).toBe('destroyed');
    expect(existsSync(join(workspaceRoot, jobId))).toBe(false);
    expect(await stateResourceCount(db, request.tenant_id)).toBeNull();
    const statuses = (await eventsOf(jobId)).map((e) => e.status);
    expect(statuses.slice(-4)).toEqual(['destroying', 'destroying', 'destroying', 'destroyed']);
    expect(statuses).toContain('destroy_incomplete');
    expectForwardOnly(statuses);
    expect(await told('environment.destroyed')).toMatchObject({ job_id: jobId, status: 'destroyed' });

    await replayAndRecord(handle, DESTROY_INCOMPLETE_FIXTURE);
  });

  it('retries a destroy_incomplete by itself on its backoff timer', async () => {
    const name = 'proof-backoff';
    const { environmentRoot } = testFolders(name);
    await engine(name);
    const { jobId, handle, request } = await readyRun(name, { destroyRetryInitialSeconds: 3 });
    const planted = plantOutsideTofu(environmentRoot, request, `${request.tenant_slug}-debug-vm`);
    await handle.executeUpdate(destroyNowUpdate, { args: [{}] });
    await eventually(
      () => reader.findJob(jobId),
      (j) => j?.status === 'destroy_incomplete' || j?.status === 'destroyed',
    );
    rmSync(planted.file);

    await expect(handle.result()).resolves.toEqual({ outcome: 'destroyed', jobId });
    const messages: Array<{ message: string }> = await db.query(
      `SELECT message FROM job_events WHERE job_id = $1 AND step = 'tofu_destroy' ORDER BY seq`,
      [jobId],
    );
    expect(messages.at(-1)?.message).toMatch(/Destroy retried after attempt \d+ failed/);
  });

  it('records what a compensation left in the cloud on the failed job and tells the backend, without holding its end', async () => {
    const name = 'proof-compensation';
    const { environmentRoot } = testFolders(name);
    const { told } = await engine(name, { failResource: 'database_instance' });
    const request = aProvisionRequest();
    // Made before the run starts: the compensation's proof must find it.
    const planted = plantOutsideTofu(environmentRoot, request, `${request.tenant_slug}-debug-vm`);

    const { jobId, handle } = await startProvisioningRun(db, client, name, request);

    await expect(handle.result()).resolves.toMatchObject({ outcome: 'failed', code: 'TOFU_RESOURCE_FAILED' });
    const job = await reader.findJob(jobId);
    expect(job?.status).toBe('failed');
    expect(job?.errorDetails).toMatchObject({
      code: 'TOFU_RESOURCE_FAILED',
      deletion_proof: 'resources_left',
      resources_left: [planted.selfLink],
    });
    expect(await told('environment.failed')).toMatchObject({ job_id: jobId, resources_left: [planted.selfLink] });
    rmSync(planted.file);
  });

  it('lets the sweep find, named for its job, what carries the labels of a tenant whose environment was destroyed', async () => {
    const name = 'proof-sweep';
    const { environmentRoot } = testFolders(name);
    await engine(name);
    const { jobId, handle, request } = await readyRun(name);
    await handle.executeUpdate(destroyNowUpdate, { args: [{}] });
    await expect(handle.result()).resolves.toEqual({ outcome: 'destroyed', jobId });
    // Something re-creates an object of the tenant after the proof passed.
    const planted = plantOutsideTofu(environmentRoot, request, `${request.tenant_slug}-recreated`);
    // Every live job of the shared database counts as running: only the cloud is under test.
    const running: WorkflowDirectory = {
      presence: () => Promise.resolve('running'),
      requestDestroy: () => Promise.reject(new Error('not in this test')),
      startProvisioning: () => Promise.reject(new Error('not in this test')),
    };
    const activities = createActivities(realActivityDeps(db, name, {}, undefined, running));
    const inActivity = <R>(fn: () => Promise<R>) => new MockActivityEnvironment().run<[], R, () => Promise<R>>(fn);

    const findings = await inActivity(() => activities.findDiscrepancies({ graceSeconds: 0 }));

    const mine = findings.filter((f) => 'tenantId' in f && f.tenantId === request.tenant_id);
    expect(mine).toEqual([
      {
        kind: 'resources_after_destroy',
        jobId,
        tenantId: request.tenant_id,
        tenantSlug: request.tenant_slug,
        resources: [planted.selfLink],
      },
    ]);
    const resolution = await inActivity(() => activities.repairDiscrepancy(mine[0]));
    // Reported (the sweep's unresolved findings alert), never removed by the sweep.
    expect(resolution).toMatchObject({ outcome: 'reported', reason: expect.stringContaining(jobId) });
    expect(existsSync(planted.file)).toBe(true);
    rmSync(planted.file);
  });
});

// The local stack's inventory over a folder of localcloud documents (no tofu needed).
describe('the local cloud’s per-tenant search', () => {
  it('finds a tenant’s objects by its tenant_id label, and unlabelled ones by its poc-names names, nothing of another tenant', async () => {
    const root = mkdtempSync(join(tmpdir(), 'proof-local-'));
    try {
      const request = aProvisionRequest();
      const other = aProvisionRequest();
      const names = pocResourceNames(request);
      const put = (collection: string, name: string, labels?: Record<string, string>) => {
        mkdirSync(join(root, collection), { recursive: true });
        const doc = { name, self_link: `projects/local/${collection}/${name}`, ...(labels ? { labels } : {}) };
        writeFileSync(join(root, collection, `${name}.json`), JSON.stringify(doc));
      };
      put('instances', 'made-by-hand', { tenant_id: request.tenant_id.toUpperCase() });
      put('networks', names.vpc_network);
      put('networks', `${names.vpc_network}-copy`);
      put('clusters', names.gke_cluster, { tenant_id: other.tenant_id });
      put('instances', 'of-another', { tenant_id: other.tenant_id });

      const left = await new LocalCloudInventory(root).tenantResources({
        tenantId: request.tenant_id,
        tenantSlug: request.tenant_slug,
      });

      expect(left).toEqual(['projects/local/instances/made-by-hand', `projects/local/networks/${names.vpc_network}`]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('reports a document it cannot read as a resource left of every tenant it searches, and skips the provider’s temp files', async () => {
    const root = mkdtempSync(join(tmpdir(), 'proof-local-'));
    try {
      mkdirSync(join(root, 'firewalls'), { recursive: true });
      mkdirSync(join(root, 'instances'), { recursive: true });
      writeFileSync(join(root, 'firewalls', 'golf-fw.json'), '{"name": "golf-fw", "labels": {');
      writeFileSync(join(root, 'instances', 'null-doc.json'), 'null');
      // A write in progress: the provider's temp file, linked or renamed into place when complete.
      writeFileSync(join(root, 'instances', '.tmp-123456'), '{"name": "half');
      const inventory = new LocalCloudInventory(root);

      for (const tenant of [aProvisionRequest(), aProvisionRequest()]) {
        expect(await inventory.tenantResources({ tenantId: tenant.tenant_id, tenantSlug: tenant.tenant_slug })).toEqual(
          ['firewalls/golf-fw.json (unreadable)', 'instances/null-doc.json (unreadable)'],
        );
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('names an object without a self link <collection>/<name> to callers, never by the host path of its document', async () => {
    const root = mkdtempSync(join(tmpdir(), 'proof-local-'));
    try {
      const request = aProvisionRequest();
      const labels = {
        tenant_id: request.tenant_id,
        tenant: request.tenant_slug,
        managed_by: 'poc-provisioning-engine',
      };
      mkdirSync(join(root, 'firewalls'), { recursive: true });
      writeFileSync(join(root, 'firewalls', 'golf-fw.json'), JSON.stringify({ name: 'golf-fw', labels }));
      const inventory = new LocalCloudInventory(root);

      const left = await inventory.tenantResources({ tenantId: request.tenant_id, tenantSlug: request.tenant_slug });
      const labelled = await inventory.labelledResources();

      expect(left).toEqual(['firewalls/golf-fw']);
      expect(labelled).toEqual([
        { tenantId: request.tenant_id, tenantSlug: request.tenant_slug, resource: 'firewalls/golf-fw' },
      ]);
      expect(JSON.stringify([left, labelled])).not.toContain(root);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

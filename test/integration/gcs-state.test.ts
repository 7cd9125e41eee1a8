import type { Client } from '@temporalio/client';
import type { Storage } from '@google-cloud/storage';
import type { DataSource } from 'typeorm';
import { GcsArtifactStore } from '../../activities/artifacts/artifact-store';
import { GcsStateStore } from '../../activities/state/gcs-state-store';
import { gcsStatePrefix } from '../../activities/state/state-backend';
import { gcsStorage } from '../../activities/state/gcs-storage';
import { JobReader } from '../../src/read-model/job-reader';
import { startFakeGcs, type FakeGcs } from '../../scripts/stack/fake-gcs-server';
import { aProvisionRequest } from '../support/requests';
import { testEnv } from '../support/test-env';
import {
  eventually,
  liveResources,
  openDatabase,
  openTemporalClient,
  realActivityDeps,
  startProvisioningRun,
  startWorker,
  testFolders,
  TEST_STATE_PASSPHRASES,
  type RunningWorker,
} from '../support/test-stack';

const BUCKET = 'poc-state-test';
const ARTIFACTS = 'poc-artifacts-test';
const PREFIX = 'engine/tenants';

// Real tofu with its gcs backend against fake-gcs-server (Google Cloud itself cannot exist here:
// the emulator speaks the same JSON API), real Temporal, worker and Postgres read model.
describe('tofu state and run artifacts in GCS', () => {
  const name = 'gcs-state';
  let gcs: FakeGcs;
  let storage: Storage;
  let store: GcsStateStore;
  let db: DataSource;
  let client: Client;
  let worker: RunningWorker;

  beforeAll(async () => {
    gcs = await startFakeGcs(testEnv('runDir'));
    storage = gcsStorage(gcs.endpoint);
    await storage.createBucket(BUCKET);
    await storage.createBucket(ARTIFACTS);
    store = new GcsStateStore(storage, BUCKET, PREFIX, TEST_STATE_PASSPHRASES);
    db = await openDatabase();
    client = await openTemporalClient();
    const deps = realActivityDeps(db, name);
    worker = await startWorker(name, {
      ...deps,
      state: store,
      artifacts: new GcsArtifactStore(storage, ARTIFACTS),
      tofu: {
        ...deps.tofu,
        stateBackend: { kind: 'gcs', bucket: BUCKET, prefix: PREFIX, emulatorEndpoint: gcs.endpoint },
      },
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await client?.connection.close();
    await db?.destroy();
    await gcs?.stop();
  });

  const objectsOf = async (tenantId: string) =>
    (await storage.bucket(BUCKET).getFiles({ prefix: `${gcsStatePrefix(PREFIX, tenantId)}/` }))[0].map((f) => f.name);

  it('keeps state encrypted under the tenant prefix, waits for a held lock before destroying, and removes the state after', async () => {
    const request = aProvisionRequest({ expiresInMs: 12_000 });
    const reader = new JobReader(db);
    const { jobId, handle } = await startProvisioningRun(db, client, name, request);

    const ready = await eventually(
      () => reader.findJob(jobId),
      (j) => j?.status === 'completed' || j?.status === 'failed',
    );
    expect(ready?.status).toBe('completed');
    const prefix = gcsStatePrefix(PREFIX, request.tenant_id);
    expect(await objectsOf(request.tenant_id)).toEqual([`${prefix}/default.tfstate`]);
    expect(await store.list()).toContainEqual({ tenantId: request.tenant_id, resources: 3 });
    // The object holds nothing of the state in clear (ADR 22): only the engine's key opens it.
    const [stored] = await storage.bucket(BUCKET).file(`${prefix}/default.tfstate`).download();
    expect(JSON.parse(stored.toString('utf8'))).toHaveProperty('encryption_version');
    for (const clear of [request.tenant_slug, 'terraform_data', 'resources'])
      expect(stored.toString()).not.toContain(clear);

    // Someone else (an engineer's tofu, an orphaned run) holds the tenant's lock at expiry: the
    // destroy must wait for it rather than write beside it.
    const lock = storage.bucket(BUCKET).file(`${prefix}/default.tflock`);
    await lock.save(JSON.stringify({ ID: 'held-by-test', Operation: 'OperationTypeApply', Who: 'test' }), {
      preconditionOpts: { ifGenerationMatch: 0 },
    });
    await eventually(
      () => reader.findJob(jobId),
      (j) => j?.currentStep === 'tofu_destroy',
    );
    await new Promise((r) => setTimeout(r, 3000));
    expect((await reader.findJob(jobId))?.status).toBe('destroying');
    expect(liveResources(testFolders(name).environmentRoot, request.tenant_slug)).toHaveLength(3);
    await lock.delete();

    await expect(handle.result()).resolves.toEqual({ outcome: 'destroyed', jobId });
    expect(liveResources(testFolders(name).environmentRoot, request.tenant_slug)).toEqual([]);
    expect(await objectsOf(request.tenant_id)).toEqual([]);
    expect((await store.list()).map((s) => s.tenantId)).not.toContain(request.tenant_id);
  });

  it('keeps the plan and the apply log of a job in the artifacts bucket for its retention, linked from the job', async () => {
    const request = { ...aProvisionRequest(), monitoring_config: { enabled: true, retention_days: 7 } };
    const reader = new JobReader(db);
    const { jobId, handle } = await startProvisioningRun(db, client, name, request);
    const ready = await eventually(
      () => reader.findJob(jobId),
      (j) => j?.status === 'completed' || j?.status === 'failed',
    );
    expect(ready?.status).toBe('completed');
    const base = `gs://${ARTIFACTS}/jobs/${jobId}`;
    expect(ready?.artifacts).toMatchObject({
      'plan.jsonl': `${base}/plan.jsonl`,
      'plan-summary.json': `${base}/plan-summary.json`,
      'apply.jsonl': `${base}/apply.jsonl`,
    });

    const bucket = storage.bucket(ARTIFACTS);
    const [summary] = await bucket.file(`jobs/${jobId}/plan-summary.json`).download();
    expect(JSON.parse(summary.toString('utf8'))).toEqual({ add: 3, change: 0, destroy: 0 });
    const [applyLog] = await bucket.file(`jobs/${jobId}/apply.jsonl`).download();
    expect(applyLog.toString('utf8')).toContain('"type":"apply_complete"');
    const [meta] = await bucket.file(`jobs/${jobId}/apply.jsonl`).getMetadata();
    const retainedDays = (Date.parse(String(meta.customTime)) - Date.now()) / (24 * 3600_000);
    expect(retainedDays).toBeGreaterThan(6.9);
    expect(retainedDays).toBeLessThanOrEqual(7);
    await handle.terminate('test over');
  });
});

import type { Client, WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { decodeOptionalFailureToOptionalError, loadDataConverter } from '@temporalio/common/lib/internal-non-workflow';
import type { temporal } from '@temporalio/proto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { JobReader } from '../../src/read-model/job-reader';
import { injectCloudFaults, pendingCloudFaults, pocResourceNames } from '../support/local-cloud';
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
  type RunningWorker,
} from '../support/test-stack';

/** A retried activity attempt and why the attempt before it failed, as the run's history records it. */
interface Retry {
  attempt: number;
  type: string | undefined;
  message: string | undefined;
  details: string;
}

/**
 * The retries of a run's activities, from its history (failures are sealed there: read through
 * the engine's data converter, as the Web UI does through the codec server).
 */
async function retriesOf(handle: WorkflowHandle): Promise<Retry[]> {
  const converter = loadDataConverter(testDataConverter());
  const { events } = await handle.fetchHistory();
  const started = (events ?? []).flatMap((e: temporal.api.history.v1.IHistoryEvent) =>
    e.activityTaskStartedEventAttributes && (e.activityTaskStartedEventAttributes.attempt ?? 1) > 1
      ? [e.activityTaskStartedEventAttributes]
      : [],
  );
  return Promise.all(
    started.map(async (a) => {
      const failure = await decodeOptionalFailureToOptionalError(converter, a.lastFailure);
      return {
        attempt: a.attempt ?? 1,
        type: failure instanceof ApplicationFailure ? (failure.type ?? undefined) : undefined,
        message: failure?.message,
        details: JSON.stringify(failure instanceof ApplicationFailure ? failure.details : null),
      };
    }),
  );
}

// Issue 13 item 5 (d). Everything here is real: Temporal dev server, worker, OpenTofu, Postgres,
// and the local stack's localcloud provider from the tools mirror. Only Google Cloud is
// simulated: the provider answers with googleapi-worded errors from the cloud directory's
// faults.json, as Google's APIs do in an outage or when a quota is used up (ADR 25).
describe('provisioning when the cloud answers with errors', () => {
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

  it('retries the apply while a create answers 503, completes with each resource once, and shows every retry with its 503', async () => {
    const name = 'cloud-503';
    const { environmentRoot } = testFolders(name);
    workers.push(await startWorker(name, realActivityDeps(db, name)));
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
    // Where the engine shows retries: the job's retry count (the API's retry_count) and the
    // run's history, each retried attempt with the failure that caused it.
    expect(job?.retryCount).toBe(2);
    const retries = await retriesOf(handle);
    expect(retries.map((r) => r.attempt)).toEqual([2, 3]);
    for (const r of retries) {
      expect(r).toMatchObject({
        type: 'TOFU_TRANSIENT',
        message: expect.stringMatching(/^tofu apply failed: failed to create cluster/),
      });
      expect(r.details).toMatch(/googleapi: Error 503/);
    }
    await handle.terminate('test done');
  });

  it('fails a create refused for quota as TOFU_QUOTA_EXCEEDED without a retry, and compensation leaves nothing of the tenant', async () => {
    const name = 'cloud-quota';
    const { environmentRoot, workspaceRoot } = testFolders(name);
    workers.push(await startWorker(name, realActivityDeps(db, name)));
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
    // Not retried: no attempt of any activity after the first, none counted.
    expect((await activityAttempts(handle)).every((attempt) => attempt === 1)).toBe(true);
    expect(job?.retryCount).toBe(0);
    // Compensation removed the rest (the network, at least, exists before the instance's create
    // is tried): nothing of the tenant in the cloud, its state and workspace gone.
    const steps: Array<{ status: string; step: string }> = await db.query(
      'SELECT status, step FROM job_events WHERE job_id = $1 ORDER BY seq',
      [jobId],
    );
    expect(steps.slice(-2)).toEqual([
      { status: 'destroying', step: 'compensate' },
      { status: 'failed', step: 'compensate' },
    ]);
    expect(liveResources(environmentRoot, request.tenant_slug)).toEqual([]);
    expect(await stateResourceCount(db, request.tenant_id)).toBeNull();
    expect(existsSync(join(workspaceRoot, jobId))).toBe(false);
  });
});

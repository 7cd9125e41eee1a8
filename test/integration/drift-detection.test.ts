import type { Client, WorkflowHandle } from '@temporalio/client';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { DriftCheckSettings } from '../../src/domain/drift';
import type { Notification } from '../../src/domain/notification';
import { toStatusView } from '../../src/provisioning/job-status.view';
import { FleetFactsReader } from '../../src/read-model/fleet-facts';
import { JobReader } from '../../src/read-model/job-reader';
import { destroyNowUpdate } from '../../workflows/provision-environment.api';
import { cloudObject, editCloudObject } from '../support/local-cloud';
import { replayAndRecord } from '../support/replay-history';
import { aProvisionRequest } from '../support/requests';
import {
  eventually,
  openDatabase,
  openTemporalClient,
  realActivityDeps,
  startProvisioningRun,
  startWorker,
  testFolders,
} from '../support/test-stack';
import { startWebhookReceiver } from '../support/webhook-receiver';

const SECRET = 'whsec-test-0123456789abcdef0123456789';
const HISTORY_FIXTURE = join(__dirname, '../fixtures/histories/provision-environment-drift-repaired.json');

/** Checks every ~2 s (±20 %): the local stack's refresh-only plan takes a few seconds itself. */
const everyTwoSeconds = (policy: DriftCheckSettings['policy']): DriftCheckSettings => ({
  intervalSeconds: { standard: 2, professional: 2, enterprise: 2 },
  policy,
});

/** Drift checks (detectDrift activities) of a run that have completed, from its history. */
async function completedDriftChecks(handle: WorkflowHandle): Promise<number> {
  const { events } = await handle.fetchHistory();
  const checks = new Set<string>();
  let completed = 0;
  for (const e of events ?? []) {
    if (e.activityTaskScheduledEventAttributes?.activityType?.name === 'detectDrift') checks.add(String(e.eventId));
    const done = e.activityTaskCompletedEventAttributes;
    if (done && checks.has(String(done.scheduledEventId))) completed += 1;
  }
  return completed;
}

// Real Temporal, Postgres, tofu and the localcloud provider: the cloud is edited behind tofu's
// back by rewriting an object's JSON document, as an engineer would in a console (ADR 25).
describe('drift detection', () => {
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

  /** A worker with a webhook receiver, and a run of a new environment that reached `completed`. */
  async function provisioned(name: string, policy: DriftCheckSettings['policy']) {
    const receiver = await startWebhookReceiver();
    cleanups.push(receiver.close);
    const worker = await startWorker(
      name,
      realActivityDeps(db, name, {}, { url: receiver.url, secret: SECRET, timeoutMs: 5000 }),
    );
    cleanups.push(worker.stop);
    const events = (event: string) =>
      receiver.received.map((r) => JSON.parse(r.body) as Notification).filter((n) => n.event === event);
    const request = aProvisionRequest();
    const { jobId, handle } = await startProvisioningRun(db, client, name, request, {
      driftCheck: everyTwoSeconds(policy),
    });
    await eventually(
      () => statusOf(jobId),
      (s) => s.status === 'completed',
      90_000,
    );
    return { jobId, handle, request, events, environmentRoot: testFolders(name).environmentRoot };
  }

  const statusOf = async (jobId: string) => toStatusView((await new JobReader(db).findJob(jobId))!);
  const driftEvents = async (jobId: string) =>
    (
      await db.query<Array<{ step: string; message: string; details: Record<string, unknown> }>>(
        `SELECT step, message, details FROM job_events WHERE job_id = $1 AND step LIKE 'drift%' ORDER BY seq`,
        [jobId],
      )
    ).map((e) => ({ step: e.step, kind: e.details.kind, cleared: e.details.cleared, message: e.message }));

  it('records nothing while the cloud matches, then reports an edited label and node count and a deleted object once each', async () => {
    const { jobId, handle, request, events, environmentRoot } = await provisioned('drift-report', 'report');

    // No drift: checks run, and leave no trace in the read model, the status or the webhook.
    await eventually(
      () => completedDriftChecks(handle),
      (n) => n >= 2,
    );
    expect(await driftEvents(jobId)).toEqual([]);
    expect((await statusOf(jobId)).drift).toBeNull();
    expect(events('environment.drifted')).toEqual([]);

    const cluster = cloudObject(environmentRoot, request.tenant_slug, 'gke_cluster');
    editCloudObject(environmentRoot, request.tenant_slug, 'gke_cluster', {
      node_count: Number(cluster.node_count) + 2,
      labels: { ...cluster.labels, edited_by: 'console' },
    });
    const drifted = await eventually(
      () => statusOf(jobId),
      (s) => s.drift !== null,
    );
    expect(drifted.status).toBe('completed');
    expect(drifted.drift?.resources).toEqual([
      { address: expect.stringContaining('cluster') as string, action: 'update', attributes: ['labels', 'node_count'] },
    ]);
    expect(Date.parse(drifted.drift!.detected_at)).not.toBeNaN();
    // The finding names attributes, never their values.
    expect(JSON.stringify(drifted.drift)).not.toContain('console');
    expect(await driftEvents(jobId)).toEqual([
      { step: 'drift_check', kind: 'drift', cleared: undefined, message: expect.stringMatching(/^Drift detected: /) },
    ]);
    const metric = await new FleetFactsReader(db).read();
    expect(metric.drifted).toEqual(expect.arrayContaining([{ tier: 'standard', count: 1 }]));

    // The same drift, seen again, is neither recorded nor sent again; report leaves the cloud as it is.
    const seen = await completedDriftChecks(handle);
    await eventually(
      () => completedDriftChecks(handle),
      (n) => n >= seen + 2,
    );
    await eventually(
      () => Promise.resolve(events('environment.drifted').length),
      (n) => n >= 1,
    );
    expect(events('environment.drifted')).toHaveLength(1);
    expect(events('environment.drifted')[0]).toMatchObject({
      job_id: jobId,
      status: 'completed',
      drift: drifted.drift,
    });
    expect(await driftEvents(jobId)).toHaveLength(1);
    expect(cloudObject(environmentRoot, request.tenant_slug, 'gke_cluster').node_count).toBe(
      Number(cluster.node_count) + 2,
    );

    // An object deleted outside tofu is a new finding: action delete.
    rmSync(cloudObject(environmentRoot, request.tenant_slug, 'database_instance').file);
    const deleted = await eventually(
      () => statusOf(jobId),
      (s) => (s.drift?.resources.length ?? 0) === 2,
    );
    expect(deleted.drift?.resources).toEqual(
      expect.arrayContaining([
        { address: expect.stringContaining('instance') as string, action: 'delete', attributes: [] },
      ]),
    );
    expect(deleted.drift?.detected_at).toBe(drifted.drift?.detected_at);
    await eventually(
      () => Promise.resolve(events('environment.drifted').length),
      (n) => n >= 2,
    );

    await handle.executeUpdate(destroyNowUpdate, { args: [{ reason: 'test done' }] });
    await expect(handle.result()).resolves.toEqual({ outcome: 'destroyed', jobId });
    expect((await statusOf(jobId)).drift).toBeNull();
  });

  it('repairs drift by applying the saved configuration again when the policy says repair', async () => {
    const { jobId, handle, request, events, environmentRoot } = await provisioned('drift-repair', 'repair');
    const cluster = cloudObject(environmentRoot, request.tenant_slug, 'gke_cluster');
    editCloudObject(environmentRoot, request.tenant_slug, 'gke_cluster', {
      node_count: Number(cluster.node_count) + 3,
    });

    const history = await eventually(
      () => driftEvents(jobId),
      (e) => e.some((x) => x.cleared === 'repaired'),
      90_000,
    );
    expect(history).toEqual([
      { step: 'drift_check', kind: 'drift', cleared: undefined, message: expect.stringMatching(/node_count/) },
      { step: 'drift_repair', kind: 'step', cleared: undefined, message: expect.stringMatching(/^Repairing drift/) },
      { step: 'drift_repair', kind: 'drift', cleared: 'repaired', message: expect.stringMatching(/^Drift repaired/) },
    ]);
    expect(cloudObject(environmentRoot, request.tenant_slug, 'gke_cluster').node_count).toBe(cluster.node_count);
    const status = await statusOf(jobId);
    expect(status).toMatchObject({ status: 'completed', drift: null });
    expect((await new FleetFactsReader(db).read()).drifted).toEqual([]);
    await eventually(
      () => Promise.resolve(events('environment.drifted').length),
      (n) => n >= 1,
    );
    expect(events('environment.drifted')).toHaveLength(1);

    await handle.executeUpdate(destroyNowUpdate, { args: [{ reason: 'test done' }] });
    await expect(handle.result()).resolves.toEqual({ outcome: 'destroyed', jobId });
    await replayAndRecord(handle, HISTORY_FIXTURE);
  });
});

import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { DiscrepancyResolution } from '../../src/domain/reconciliation';
import { stateSchemaName, provisioningWorkflowId } from '../../src/domain/workflow-ids';
import { JobReader } from '../../src/read-model/job-reader';
import { JobWriter } from '../../src/read-model/job-writer';
import { TemporalWorkflowDirectory } from '../../src/temporal/workflow-directory';
import { ensureReconciliationSchedule, reconciliationScheduleId } from '../../src/worker/reconciliation-schedule';
import { reconcileEnvironments } from '../../workflows/reconcile-environments.workflow';
import { openIsolatedDatabase } from '../support/test-database';
import { aProvisionRequest } from '../support/requests';
import {
  eventually,
  openTemporalClient,
  realActivityDeps,
  startProvisioningRun,
  startWorker,
  withStateDatabase,
  testFolders,
  TEST_WORKFLOW_SETTINGS,
  type RunningWorker,
} from '../support/test-stack';

const HISTORY_FIXTURE = join(__dirname, '../fixtures/histories/reconcile-environments.json');

// Real Temporal dev server, worker, tofu and Postgres. The sweep looks at every job, so this file
// has a database of its own: the other test files' jobs would be findings here.
describe('the reconciliation sweep', () => {
  const name = 'reconcile';
  let iso: Awaited<ReturnType<typeof openIsolatedDatabase>>;
  let db: DataSource;
  let client: Client;
  let worker: RunningWorker;
  const { workspaceRoot } = testFolders(name);

  beforeAll(async () => {
    iso = await openIsolatedDatabase(name);
    db = iso.db;
    client = await openTemporalClient();
    const directory = new TemporalWorkflowDirectory(client, { taskQueue: name, settings: TEST_WORKFLOW_SETTINGS });
    const deps = realActivityDeps(db, name, {}, undefined, directory);
    worker = await startWorker(name, withStateDatabase(deps, iso.url));
  });
  afterAll(async () => {
    await client.schedule
      .getHandle(reconciliationScheduleId(name))
      .delete()
      .catch(() => undefined);
    await worker.stop();
    await client.connection.close();
    await iso.drop();
  });

  const backdate = (jobId: string) =>
    db.query(`UPDATE provisioning_jobs SET updated_at = now() - interval '1 hour' WHERE job_id = $1`, [jobId]);
  const queuedWithoutWorkflow = async () => {
    const request = aProvisionRequest();
    const jobId = randomUUID();
    await new JobWriter(db).insertQueued({ jobId, workflowId: provisioningWorkflowId(request.tenant_id), request });
    return { jobId, request };
  };
  async function stateOf(tenantId: string, resources: number): Promise<void> {
    const schema = stateSchemaName(tenantId);
    await db.query(`CREATE SCHEMA "${schema}"`);
    await db.query(`CREATE TABLE "${schema}".states (id bigserial PRIMARY KEY, name text, data text)`);
    const state = { version: 4, resources: Array.from({ length: resources }, (_, i) => ({ name: `r${i}` })) };
    if (resources > 0) await db.query(`INSERT INTO "${schema}".states (name, data) VALUES ('default', $1)`, [state]);
  }
  const schemaExists = async (tenantId: string) =>
    (await db.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [stateSchemaName(tenantId)]))
      .length > 0;
  const resolutionOf = (resolutions: DiscrepancyResolution[], kind: string, id: string) =>
    resolutions.find(
      (r) =>
        r.finding.kind === kind &&
        ('jobId' in r.finding ? r.finding.jobId === id : 'tenantId' in r.finding && r.finding.tenantId === id),
    );

  it('repairs what is safe to repair, reports the rest, and records the sweep', async () => {
    const reader = new JobReader(db);
    // 1. The gateway wrote the row and died before starting the workflow.
    const lost = await queuedWithoutWorkflow();
    await backdate(lost.jobId);
    // ... and the same, a moment ago: it may still be starting, so it is left alone.
    const fresh = await queuedWithoutWorkflow();
    // 2. Past its expiry (per the read model) while its workflow still waits.
    const expiring = await startProvisioningRun(db, client, name, aProvisionRequest({ expiresInMs: 3600_000 }));
    await eventually(
      () => reader.findJob(expiring.jobId),
      (j) => j?.status === 'completed',
    );
    await db.query(`UPDATE provisioning_jobs SET expires_at = now() - interval '1 hour' WHERE job_id = $1`, [
      expiring.jobId,
    ]);
    await backdate(expiring.jobId);
    // 3. Says completed, but no workflow knows it.
    const gone = await queuedWithoutWorkflow();
    await db.query(`UPDATE provisioning_jobs SET status = 'completed' WHERE job_id = $1`, [gone.jobId]);
    await backdate(gone.jobId);
    // 4. A workspace and two states that no live job owns.
    const orphanWorkspace = randomUUID();
    await mkdir(join(workspaceRoot, orphanWorkspace), { recursive: true });
    await writeFile(join(workspaceRoot, orphanWorkspace, 'terraform.tfvars.json'), '{}');
    const emptyState = randomUUID();
    const fullState = randomUUID();
    await stateOf(emptyState, 0);
    await stateOf(fullState, 2);

    const sweep = await client.workflow.start(reconcileEnvironments, {
      taskQueue: name,
      workflowId: `reconcile-test-${randomUUID()}`,
      args: [{ graceSeconds: 60, personalDataRetentionDays: 30 }],
    });
    const report = await sweep.result();
    if (process.env.RECORD_HISTORIES) writeFileSync(HISTORY_FIXTURE, historyToJSON(await sweep.fetchHistory()));

    const r = report.resolutions;
    expect(resolutionOf(r, 'job_without_workflow', lost.jobId)).toMatchObject({ outcome: 'repaired' });
    expect(resolutionOf(r, 'job_without_workflow', fresh.jobId)).toBeUndefined();
    expect(resolutionOf(r, 'expired_not_destroyed', expiring.jobId)).toMatchObject({ outcome: 'repaired' });
    expect(resolutionOf(r, 'workflow_gone', gone.jobId)).toMatchObject({
      outcome: 'reported',
      reason: expect.stringMatching(/workflow is missing/),
    });
    expect(resolutionOf(r, 'orphan_workspace', orphanWorkspace)).toMatchObject({ outcome: 'repaired' });
    expect(resolutionOf(r, 'orphan_state', emptyState)).toMatchObject({ outcome: 'repaired' });
    expect(resolutionOf(r, 'orphan_state', fullState)).toMatchObject({
      outcome: 'reported',
      reason: expect.stringMatching(/2 resources/),
    });
    expect(r).toHaveLength(6);

    // The repairs took effect: the lost run provisions, the expired one is destroyed.
    await expect(
      eventually(
        () => reader.findJob(lost.jobId),
        (j) => j?.status === 'completed',
      ),
    ).resolves.toMatchObject({ status: 'completed' });
    await expect(expiring.handle.result()).resolves.toEqual({ outcome: 'destroyed', jobId: expiring.jobId });
    expect(existsSync(join(workspaceRoot, orphanWorkspace))).toBe(false);
    expect(await schemaExists(emptyState)).toBe(false);
    expect(await schemaExists(fullState)).toBe(true);
    expect((await reader.findJob(fresh.jobId))?.status).toBe('queued');

    const runs: Array<{ repaired: number; unresolved: number }> = await db.query(
      'SELECT repaired, unresolved FROM reconciliation_runs WHERE started_at = $1',
      [report.startedAt],
    );
    expect(runs).toEqual([{ repaired: 4, unresolved: 2 }]);

    // The lost job's run must not be left waiting for its three-day expiry.
    await client.workflow.getHandle(provisioningWorkflowId(lost.request.tenant_id)).terminate('test over');
  });

  it('runs from a Temporal Schedule that every worker may create, and records each sweep', async () => {
    const before: Array<{ n: string }> = await db.query('SELECT count(*) AS n FROM reconciliation_runs');
    const options = { taskQueue: name, intervalSeconds: 3600, graceSeconds: 600, personalDataRetentionDays: 30 };
    await ensureReconciliationSchedule(client, options);
    // A second worker starting with another interval: no error, the Schedule follows the config.
    await ensureReconciliationSchedule(client, { ...options, intervalSeconds: 1800 });
    const handle = client.schedule.getHandle(reconciliationScheduleId(name));
    const described = await handle.describe();
    expect(described.spec.intervals?.[0]?.every).toBe(1800_000);
    // Every sweep it starts purges personal data after the configured retention (ADR 20).
    expect(described.action).toMatchObject({ args: [{ graceSeconds: 600, personalDataRetentionDays: 30 }] });

    await handle.trigger();

    await eventually(
      async () => await db.query('SELECT count(*) AS n FROM reconciliation_runs'),
      (rows) => Number(rows[0].n) === Number(before[0].n) + 1,
    );
  });
});

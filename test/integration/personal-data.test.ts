import type { Client } from '@temporalio/client';
import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { REDACTED, type PersonalData } from '../../src/domain/personal-data';
import type { ProvisionRequest } from '../../src/domain/provision-request';
import { provisioningWorkflowId } from '../../src/domain/workflow-ids';
import { sealPersonalDataMigration } from '../../src/persistence/migrations/1764655200000-seal-personal-data';
import { toEventView, toJobSummary, toStatusView } from '../../src/provisioning/job-status.view';
import { JobReader } from '../../src/read-model/job-reader';
import { JobWriter } from '../../src/read-model/job-writer';
import { PersonalDataVault } from '../../src/read-model/personal-data-vault';
import { ReconciliationStore } from '../../src/read-model/reconciliation-store';
import { startProvisioningWorkflow } from '../../src/temporal/start-provisioning-workflow';
import { TemporalWorkflowDirectory } from '../../src/temporal/workflow-directory';
import { reconcileEnvironments } from '../../workflows/reconcile-environments.workflow';
import { aProvisionRequest } from '../support/requests';
import { TEST_ENCRYPTION_KEY } from '../support/test-env';
import { openIsolatedDatabase } from '../support/test-database';
import {
  openTemporalClient,
  realActivityDeps,
  startWorker,
  TEST_WORKFLOW_SETTINGS,
  withStateDatabase,
  type RunningWorker,
} from '../support/test-stack';

const testKey = Buffer.from(TEST_ENCRYPTION_KEY, 'base64');

/** A request whose personal fields are unique to this test, so that a match anywhere is this job's. */
function aRequestWithPersonalData(opts: { expiresInMs?: number } = {}): {
  request: ProvisionRequest;
  personal: Required<PersonalData>;
} {
  const request = aProvisionRequest(opts);
  const tag = randomUUID().slice(0, 8);
  const personal = {
    company_name: `Roe Consulting ${tag}`,
    contact_email: `jane.roe.${tag}@roe.test`,
    contact_name: `Jane Roe ${tag}`,
  };
  return { request: { ...request, company_info: { ...request.company_info, ...personal } }, personal };
}

// Real Postgres (a database of its own: the purge and the table scans look at every row), a
// real Temporal dev server, worker and tofu on the offline local stack.
describe('personal data at rest', () => {
  const name = 'personal-data';
  let iso: Awaited<ReturnType<typeof openIsolatedDatabase>>;
  let db: DataSource;
  let client: Client;
  let worker: RunningWorker;
  const vault = PersonalDataVault.fromKeys(testKey);

  beforeAll(async () => {
    iso = await openIsolatedDatabase('personal_data');
    db = iso.db;
    client = await openTemporalClient();
    const directory = new TemporalWorkflowDirectory(client, { taskQueue: name, settings: TEST_WORKFLOW_SETTINGS });
    const deps = realActivityDeps(db, name, {}, undefined, directory);
    worker = await startWorker(name, withStateDatabase(deps, iso.url));
  });
  afterAll(async () => {
    await worker?.stop();
    await client?.connection.close();
    await iso?.drop();
  });

  /** Every row of every table of every schema of the database, as text. */
  async function everyTableAsText(): Promise<string> {
    const tables: Array<{ s: string; t: string }> = await db.query(
      `SELECT table_schema AS s, table_name AS t FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    expect(tables.map((t) => t.t)).toEqual(
      expect.arrayContaining(['provisioning_jobs', 'job_events', 'job_action_audit', 'reconciliation_runs']),
    );
    const dumps: string[] = [];
    for (const { s, t } of tables) {
      const [row]: Array<{ dump: string | null }> = await db.query(
        `SELECT string_agg(x::text, E'\\n') AS dump FROM "${s}"."${t}" x`,
      );
      dumps.push(`${s}.${t}: ${row.dump ?? ''}`);
    }
    return dumps.join('\n');
  }
  const expectNoneIn = (text: string, personal: PersonalData) => {
    for (const value of Object.values(personal)) expect(text).not.toContain(value);
  };
  const rawRow = async (jobId: string) =>
    (
      await db.query(
        `SELECT to_jsonb(j)::text AS text, personal_data, personal_data_purged_at
           FROM provisioning_jobs j WHERE job_id = $1`,
        [jobId],
      )
    )[0];
  const sweep = (personalDataRetentionDays: number) =>
    client.workflow.execute(reconcileEnvironments, {
      taskQueue: name,
      workflowId: `personal-data-sweep-${randomUUID()}`,
      args: [{ graceSeconds: 600, personalDataRetentionDays }],
    });

  it('keeps no personal field of an accepted request in clear in its row, only sealed for its job', async () => {
    const { request, personal } = aRequestWithPersonalData();
    const jobId = randomUUID();
    await new JobWriter(db, vault).insertQueued({
      jobId,
      workflowId: provisioningWorkflowId(request.tenant_id),
      request,
    });

    const row = await rawRow(jobId);
    expectNoneIn(row.text, personal);
    expect(row.personal_data).toEqual(expect.any(String));
    expect(vault.open(jobId, row.personal_data)).toEqual(personal);
    // The sweep starts a lost job's workflow from the row: it gets the request back whole.
    await expect(new ReconciliationStore(db, vault).requestOf(jobId)).resolves.toEqual(request);
    await db.query('DELETE FROM provisioning_jobs WHERE job_id = $1', [jobId]);
  });

  it('migrates rows that hold personal fields in clear to sealed ones, and a second run changes nothing', async () => {
    const { request, personal } = aRequestWithPersonalData();
    const jobId = randomUUID();
    await new JobWriter(db).insertQueued({ jobId, workflowId: provisioningWorkflowId(request.tenant_id), request });
    // As a version before ADR 20 wrote it: the whole request in clear.
    await db.query('UPDATE provisioning_jobs SET request_payload = $2 WHERE job_id = $1', [
      jobId,
      JSON.stringify(request),
    ]);
    expect((await rawRow(jobId)).text).toContain(personal.contact_email);

    const runner = db.createQueryRunner();
    try {
      // Without a key it refuses to go on, rather than dropping what it cannot seal.
      const keyless = new (sealPersonalDataMigration())();
      await expect(keyless.up(runner)).rejects.toThrow(/personal data in clear.*ENCRYPTION_KEY/);
      const migration = new (sealPersonalDataMigration([testKey]))();
      await migration.up(runner);
      const once = await rawRow(jobId);
      expectNoneIn(once.text, personal);
      expect(vault.open(jobId, once.personal_data)).toEqual(personal);
      await migration.up(runner);
      expect((await rawRow(jobId)).personal_data).toBe(once.personal_data);
    } finally {
      await runner.release();
    }
    await expect(new ReconciliationStore(db, vault).requestOf(jobId)).resolves.toEqual(request);
    await db.query('DELETE FROM provisioning_jobs WHERE job_id = $1', [jobId]);
  });

  it('purges them from every table once the environment is gone and the retention is over; the job still answers in its shapes', async () => {
    const { request, personal } = aRequestWithPersonalData({ expiresInMs: 20_000 });
    const jobId = randomUUID();
    await new JobWriter(db, vault).insertQueued({
      jobId,
      workflowId: provisioningWorkflowId(request.tenant_id),
      request,
    });
    const handle = await startProvisioningWorkflow(
      client,
      { taskQueue: name, settings: TEST_WORKFLOW_SETTINGS },
      jobId,
      request,
    );
    await expect(handle.result()).resolves.toEqual({ outcome: 'destroyed', jobId });
    // Temporal holds the request only sealed by the payload codec (ADR 6).
    expectNoneIn(JSON.stringify(await handle.fetchHistory()), personal);

    // Gone, but within the retention: kept, sealed, nowhere in clear.
    const within = await sweep(30);
    expect(within.personalDataPurged).toBe(0);
    expect((await rawRow(jobId)).personal_data).toEqual(expect.any(String));
    expectNoneIn(await everyTableAsText(), personal);

    const reader = new JobReader(db);
    const answers = async () => {
      const job = (await reader.findJob(jobId))!;
      const list = await reader.listJobs({ tenantId: request.tenant_id, limit: 10 });
      return {
        status: toStatusView(job),
        list: list.jobs.map(toJobSummary),
        events: (await reader.events(jobId)).map(toEventView),
      };
    };
    const before = await answers();
    expect(before.status).toMatchObject({ status: 'destroyed', tenant_slug: request.tenant_slug });
    expect(before.list).toHaveLength(1);
    expect(before.events.length).toBeGreaterThan(3);

    // A retention of 0 days: the next sweep purges.
    const after0 = await sweep(0);
    expect(after0.personalDataPurged).toBeGreaterThanOrEqual(1);
    const row = await rawRow(jobId);
    expect(row.personal_data).toBeNull();
    expect(row.personal_data_purged_at).toBeInstanceOf(Date);
    expectNoneIn(await everyTableAsText(), personal);
    // Nothing can bring them back, with any key.
    const restarted = await new ReconciliationStore(db, vault).requestOf(jobId);
    expect(restarted?.company_info).toEqual({ headquarters_country: 'DE', company_name: REDACTED });

    // The answers are the same, field for field (no answered field held personal data).
    expect(await answers()).toEqual(before);
    // A purged job is not purged again.
    expect((await sweep(0)).personalDataPurged).toBe(0);
  });

  it('purges failed and cancelled jobs once their retention is over, with their request hash, and never a live job', async () => {
    const store = new ReconciliationStore(db, vault);
    const job = async (status: string, endedDaysAgo: number) => {
      const { request } = aRequestWithPersonalData();
      const jobId = randomUUID();
      await new JobWriter(db, vault).insertQueued({
        jobId,
        workflowId: provisioningWorkflowId(request.tenant_id),
        request,
        requestHash: 'f'.repeat(64),
      });
      await db.query(
        `UPDATE provisioning_jobs SET status = $2, completed_at = now() - make_interval(days => $3) WHERE job_id = $1`,
        [jobId, status, endedDaysAgo],
      );
      return jobId;
    };
    const failed = await job('failed', 3);
    const cancelled = await job('cancelled', 3);
    const recentlyFailed = await job('failed', 1);
    const destroyFailed = await job('destroy_failed', 30);
    const ready = await job('completed', 30);

    const purged = await store.purgePersonalData(2);
    expect(purged).toEqual(expect.arrayContaining([failed, cancelled]));
    for (const kept of [recentlyFailed, destroyFailed, ready]) expect(purged).not.toContain(kept);
    const row = async (jobId: string) =>
      (await db.query('SELECT personal_data, request_hash FROM provisioning_jobs WHERE job_id = $1', [jobId]))[0];
    expect(await row(failed)).toEqual({ personal_data: null, request_hash: null });
    expect(await row(cancelled)).toEqual({ personal_data: null, request_hash: null });
    for (const kept of [recentlyFailed, destroyFailed, ready])
      expect(await row(kept)).toEqual({ personal_data: expect.any(String), request_hash: 'f'.repeat(64) });
    await db.query('DELETE FROM provisioning_jobs WHERE job_id = ANY($1)', [
      [failed, cancelled, recentlyFailed, destroyFailed, ready],
    ]);
  });

  it('opens personal data sealed with a retired key during a key rotation', async () => {
    const oldKey = randomBytes(32);
    const { request, personal } = aRequestWithPersonalData();
    const jobId = randomUUID();
    await new JobWriter(db, PersonalDataVault.fromKeys(oldKey)).insertQueued({
      jobId,
      workflowId: provisioningWorkflowId(request.tenant_id),
      request,
    });
    const rotating = new ReconciliationStore(db, PersonalDataVault.fromKeys([testKey, oldKey]));
    await expect(rotating.requestOf(jobId)).resolves.toEqual(request);
    expect(PersonalDataVault.fromKeys([testKey, oldKey]).open(jobId, (await rawRow(jobId)).personal_data)).toEqual(
      personal,
    );
    await db.query('DELETE FROM provisioning_jobs WHERE job_id = $1', [jobId]);
  });
});

import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { ProgressUpdate } from '../../src/domain/progress-update';
import { JOB_STATUSES, LIVE_STATUSES } from '../../src/domain/job-state-machine';
import { ProvisioningJobEntity } from '../../src/persistence/provisioning-job.entity';
import { JobReader } from '../../src/read-model/job-reader';
import { JobWriter } from '../../src/read-model/job-writer';
import { aProvisionRequest } from '../support/requests';
import { openDatabase } from '../support/test-stack';

describe('read model on Postgres', () => {
  let db: DataSource;
  let writer: JobWriter;
  let reader: JobReader;

  beforeAll(async () => {
    db = await openDatabase();
    writer = new JobWriter(db);
    reader = new JobReader(db);
  });
  afterAll(() => db.destroy());

  async function queuedJob() {
    const jobId = randomUUID();
    const request = aProvisionRequest();
    await writer.insertQueued({ jobId, workflowId: `poc-${request.tenant_id}`, request });
    return { jobId, request };
  }

  const step = (jobId: string, seq: number, over: Partial<ProgressUpdate> = {}): ProgressUpdate =>
    ({
      jobId,
      seq,
      status: 'provisioning',
      step: `step-${seq}`,
      message: `step ${seq}`,
      completedSteps: seq - 1,
      totalSteps: 5,
      kind: 'step',
      ...over,
    }) as ProgressUpdate;

  it('records a new job as queued with its request', async () => {
    const { jobId, request } = await queuedJob();
    const job = await reader.findJob(jobId);
    expect(job).toMatchObject({ status: 'queued', tenantSlug: request.tenant_slug, stepSeq: 0 });
    expect(job?.requestPayload).toMatchObject({ tenant_id: request.tenant_id });
  });

  it('reads a job through its plain query exactly as the repository loads it, and null for no such job', async () => {
    const { jobId } = await queuedJob();
    await writer.recordProgress(
      step(jobId, 1, { kind: 'planned', planSummary: { add: 3, change: 0, destroy: 0 } } as Partial<ProgressUpdate>),
    );
    const viaRepository = await db.getRepository(ProvisioningJobEntity).findOneBy({ jobId });
    const viaQuery = await reader.findJob(jobId);
    expect(viaQuery).toBeInstanceOf(ProvisioningJobEntity);
    expect(viaQuery).toEqual(viaRepository);
    expect(viaQuery?.expiresAt).toBeInstanceOf(Date);
    expect(await reader.findJob(randomUUID())).toBeNull();
  });

  it('never moves a job backwards when an older step arrives after a newer one', async () => {
    const { jobId } = await queuedJob();
    expect(await writer.recordProgress(step(jobId, 3))).toBe(true);
    expect(await writer.recordProgress(step(jobId, 2, { status: 'queued' }))).toBe(false);
    const job = await reader.findJob(jobId);
    expect(job).toMatchObject({ stepSeq: 3, currentStep: 'step-3', status: 'provisioning', progressPercent: 40 });
  });

  it('ignores a retried write of the same step and keeps one history event for it', async () => {
    const { jobId } = await queuedJob();
    await writer.recordProgress(step(jobId, 1));
    expect(await writer.recordProgress(step(jobId, 1))).toBe(false);
    const events: unknown[] = await db.query('SELECT seq FROM job_events WHERE job_id = $1', [jobId]);
    expect(events).toHaveLength(1);
  });

  it('keeps the plan summary and resources of earlier steps when later steps carry none', async () => {
    const { jobId } = await queuedJob();
    await writer.recordProgress(step(jobId, 1, { kind: 'planned', planSummary: { add: 3, change: 0, destroy: 0 } }));
    await writer.recordProgress(
      step(jobId, 2, {
        kind: 'provisioned',
        status: 'completed',
        provisionedResources: { gke_cluster: { name: 'x' } },
        serviceEndpoints: { api_endpoint: 'https://api.x' },
      }),
    );
    await writer.recordProgress(step(jobId, 3, { status: 'destroying' }));
    const job = await reader.findJob(jobId);
    expect(job?.planSummary).toEqual({ add: 3, change: 0, destroy: 0 });
    expect(job?.serviceEndpoints).toEqual({ api_endpoint: 'https://api.x' });
    expect(job?.completedAt).toBeInstanceOf(Date);
  });

  it('finds the live job of a tenant and none once it is destroyed', async () => {
    const { jobId, request } = await queuedJob();
    expect((await reader.findLiveJobOfTenant(request.tenant_id))?.jobId).toBe(jobId);
    await writer.recordProgress(step(jobId, 1, { status: 'provisioning' }));
    await writer.recordProgress(step(jobId, 2, { status: 'completed' }));
    await writer.recordProgress(step(jobId, 3, { status: 'destroying' }));
    await writer.recordProgress(step(jobId, 4, { status: 'destroy_failed' }));
    expect((await reader.findLiveJobOfTenant(request.tenant_id))?.jobId).toBe(jobId);
    await writer.recordProgress(step(jobId, 5, { status: 'destroying' }));
    expect(await writer.recordProgress(step(jobId, 6, { status: 'destroyed' }))).toBe(true);
    expect(await reader.findLiveJobOfTenant(request.tenant_id)).toBeNull();
  });

  it('removes an unstarted job but never one a workflow has written to', async () => {
    const a = await queuedJob();
    await writer.deleteUnstarted(a.jobId);
    expect(await reader.findJob(a.jobId)).toBeNull();
    const b = await queuedJob();
    await writer.recordProgress(step(b.jobId, 1));
    await writer.deleteUnstarted(b.jobId);
    expect(await reader.findJob(b.jobId)).not.toBeNull();
  });

  it('refuses a move the state machine forbids, even with a newer seq, and records no event for it', async () => {
    const { jobId } = await queuedJob();
    await writer.recordProgress(step(jobId, 1));
    await writer.recordProgress(step(jobId, 2, { status: 'completed' }));
    expect(await writer.recordProgress(step(jobId, 3, { status: 'provisioning' }))).toBe(false);
    expect((await reader.findJob(jobId))?.status).toBe('completed');
    const events: Array<{ seq: number }> = await db.query('SELECT seq FROM job_events WHERE job_id = $1 ORDER BY seq', [
      jobId,
    ]);
    expect(events.map((e) => e.seq)).toEqual([1, 2]);
  });

  it('stores free text without what Postgres refuses (NUL, lone surrogates)', async () => {
    const { jobId } = await queuedJob();
    expect(
      await writer.recordProgress(
        step(jobId, 1, {
          message: 'Destroy requested (\u0000)',
          kind: 'failed',
          status: 'failed',
          error: { code: 'X', message: 'bad\u0000byte \ud800', details: { reason: 'a\u0000b' } },
        }),
      ),
    ).toBe(true);
    const job = await reader.findJob(jobId);
    expect(job?.message).toBe('Destroy requested ()');
    expect(job?.errorMessage).toBe('badbyte \ufffd');
    expect(job?.errorDetails).toEqual({ code: 'X', reason: 'ab' });
  });

  it('answers a write Postgres refuses for its data with a non-retryable DATA_REJECTED, changing nothing', async () => {
    const { jobId } = await queuedJob();
    await expect(
      writer.recordProgress(step(jobId, 1, { kind: 'expiry', expiresAt: 'not an instant' })),
    ).rejects.toMatchObject({ code: 'DATA_REJECTED', context: { job_id: jobId, seq: 1 } });
    expect((await reader.findJob(jobId))?.stepSeq).toBe(0);
  });

  it('refuses a request with a NUL byte as DATA_REJECTED, not as an internal error', async () => {
    const request = aProvisionRequest();
    // A field kept in clear (personal fields are sealed: Postgres never sees their text).
    request.company_info.industry_vertical = 'fin\u0000tech';
    await expect(
      writer.insertQueued({ jobId: randomUUID(), workflowId: `poc-${request.tenant_id}`, request }),
    ).rejects.toMatchObject({ code: 'DATA_REJECTED' });
  });

  it('admits exactly the state machine statuses, and one live job per tenant over its live statuses', async () => {
    const [check]: Array<{ def: string }> = await db.query(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'ck_jobs_status'`,
    );
    const admitted = [...check.def.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);
    expect(admitted).toEqual([...JOB_STATUSES]);
    const [index]: Array<{ def: string }> = await db.query(
      `SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'uq_jobs_live_tenant'`,
    );
    expect([...index.def.matchAll(/'([a-z_]+)'/g)].map((m) => m[1])).toEqual([...LIVE_STATUSES]);
    const [slug]: Array<{ def: string }> = await db.query(
      `SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'uq_jobs_live_slug'`,
    );
    expect([...slug.def.matchAll(/'([a-z_]+)'/g)].map((m) => m[1])).toEqual([...LIVE_STATUSES]);
  });

  it('stores the longest status of the state machine in every status column', async () => {
    const { jobId } = await queuedJob();
    await db.query(`UPDATE provisioning_jobs SET status = 'destroy_incomplete' WHERE job_id = $1`, [jobId]);
    expect((await reader.findJob(jobId))?.status).toBe('destroy_incomplete');
    const widths: Array<{ width: number }> = await db.query(
      `SELECT character_maximum_length AS width FROM information_schema.columns
        WHERE column_name = 'status' AND table_name IN ('provisioning_jobs', 'job_events')`,
    );
    for (const { width } of widths)
      expect(width).toBeGreaterThanOrEqual(Math.max(...JOB_STATUSES.map((s) => s.length)));
  });
});

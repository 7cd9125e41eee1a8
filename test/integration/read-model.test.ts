import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { ProgressUpdate } from '../../src/domain/progress-update';
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
    await writer.recordProgress(step(jobId, 1, { status: 'destroyed' }));
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
});

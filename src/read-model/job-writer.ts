import type { DataSource } from 'typeorm';
import { DomainError } from '../domain/domain-error';
import { statusesBefore, TERMINAL_STATUSES } from '../domain/job-state-machine';
import type { ProgressUpdate } from '../domain/progress-update';
import { splitPersonalData } from '../domain/personal-data';
import type { ProvisionRequest } from '../domain/provision-request';
import type { PersonalDataVault } from './personal-data-vault';
import { isDataException, storableJson, storableText } from './storable-text';

/** What the gateway records when it accepts a request. */
export interface NewJob {
  jobId: string;
  workflowId: string;
  request: ProvisionRequest;
  /** Idempotency key and the hash of the request it came with. */
  requestId?: string | null;
  requestHash?: string | null;
  requestedBy?: string | null;
  estimatedDurationSeconds?: number | null;
}

/** Statuses that end provisioning (completed_at): ready, or ended without getting there. */
const FINISHED = ['completed', ...TERMINAL_STATUSES];

/**
 * Writes the read model: the gateway's first row, then the workflow's progress. The request's
 * personal fields never rest in clear: they are sealed into personal_data with `vault`, or, for
 * a writer given none (tests, tools), kept out of the row altogether (ADR 20).
 */
export class JobWriter {
  constructor(
    private readonly db: DataSource,
    private readonly vault?: PersonalDataVault,
  ) {}

  /**
   * Inserts the job as `queued` before its workflow starts. Returns false, writing nothing,
   * when the database refuses a second job with the same request_id or a second live job of
   * the tenant (unique indexes: concurrent submits cannot both win).
   * @throws DomainError DATA_REJECTED when Postgres refuses a text of the request (SQLSTATE class 22).
   */
  async insertQueued(job: NewJob): Promise<boolean> {
    try {
      return await this.insertQueuedRow(job);
    } catch (err) {
      // A request is stored as it came, never silently altered: refuse it (400), never a 500.
      if (!isDataException(err)) throw err;
      throw new DomainError('DATA_REJECTED', 'The request holds text that cannot be stored (e.g. a NUL character)');
    }
  }

  private async insertQueuedRow(job: NewJob): Promise<boolean> {
    const { request: r, personal } = splitPersonalData(job.request);
    const sealed = this.vault && Object.keys(personal).length > 0 ? this.vault.seal(job.jobId, personal) : null;
    const rows: unknown[] = await this.db.query(
      `INSERT INTO provisioning_jobs (job_id, tenant_id, tenant_slug, poc_tier, status, priority,
         workflow_id, request_payload, expires_at, queued_at, message,
         request_id, request_hash, requested_by, estimated_duration_seconds, personal_data)
       VALUES ($1, $2, $3, $4, 'queued', $5, $6, $7, $8, now(), 'Waiting for a worker', $9, $10, $11, $12, $13)
       ON CONFLICT DO NOTHING
       RETURNING job_id`,
      [
        job.jobId,
        r.tenant_id,
        r.tenant_slug,
        r.poc_config.poc_tier,
        r.priority,
        job.workflowId,
        JSON.stringify(r),
        r.poc_config.expires_at,
        job.requestId ?? null,
        job.requestHash ?? null,
        job.requestedBy ?? null,
        job.estimatedDurationSeconds ?? null,
        sealed,
      ],
    );
    return rows.length > 0;
  }

  /** Audit: who read a job's credentials, and when. */
  async recordCredentialRead(jobId: string, principal: string, requestId: string | null): Promise<void> {
    await this.db.query(`INSERT INTO credential_reads (job_id, principal, request_id) VALUES ($1, $2, $3)`, [
      jobId,
      principal,
      requestId,
    ]);
  }

  /**
   * Audit: who asked to extend, destroy or cancel a job, with the request id of the answer and
   * what was asked (`{expires_at}` or `{reason}`).
   */
  async recordJobAction(
    jobId: string,
    action: JobAction,
    asker: Asker,
    detail: Record<string, string | undefined>,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO job_action_audit (job_id, action, principal, request_id, detail) VALUES ($1, $2, $3, $4, $5)`,
      [jobId, action, asker.principal, asker.requestId, JSON.stringify(detail)],
    );
  }

  /** Adds links to a job's run artifacts (a later upload of the same name replaces the link). */
  async recordArtifacts(jobId: string, links: Record<string, string>): Promise<void> {
    await this.db.query(`UPDATE provisioning_jobs SET artifacts = artifacts || $2::jsonb WHERE job_id = $1`, [
      jobId,
      JSON.stringify(links),
    ]);
  }

  /** Counts an activity retry of the job (an attempt beyond the first). */
  async recordRetry(jobId: string): Promise<void> {
    await this.db.query(`UPDATE provisioning_jobs SET retry_count = retry_count + 1 WHERE job_id = $1`, [jobId]);
  }

  /** Stores sealed credentials once: a retried activity keeps the first ones. Returns whether it stored. */
  async storeCredentials(jobId: string, sealed: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `UPDATE provisioning_jobs SET access_credentials = $2 WHERE job_id = $1 AND access_credentials IS NULL RETURNING job_id`,
      [jobId, sealed],
    );
    return rows.length > 0;
  }

  /** Removes a job whose workflow was never started, so no row stands without a run. */
  async deleteUnstarted(jobId: string): Promise<void> {
    await this.db.query(`DELETE FROM provisioning_jobs WHERE job_id = $1 AND step_seq = 0`, [jobId]);
  }

  /**
   * Applies one progress update and appends it to the job's history, atomically. Idempotent
   * (a retried write changes nothing), monotonic (a write older than the last is ignored) and
   * guarded by the state machine (a move it forbids, e.g. completed → provisioning, is refused).
   * Free text is made storable first. Returns whether the update was applied.
   * @throws DomainError DATA_REJECTED when Postgres refuses the data itself (SQLSTATE class 22):
   *   no retry can fix that, so it must not be retried.
   */
  async recordProgress(u: ProgressUpdate): Promise<boolean> {
    try {
      return await this.applyProgress(u);
    } catch (err) {
      if (!isDataException(err)) throw err;
      throw new DomainError('DATA_REJECTED', `The read model refused the data of update ${u.seq}`, [], {
        job_id: u.jobId,
        seq: u.seq,
        sqlstate: (err as { code: string }).code,
      });
    }
  }

  private async applyProgress(u: ProgressUpdate): Promise<boolean> {
    const planSummary = u.kind === 'planned' ? u.planSummary : null;
    const resources = u.kind === 'provisioned' ? u.provisionedResources : null;
    const endpoints = u.kind === 'provisioned' ? u.serviceEndpoints : null;
    const error = u.kind === 'failed' ? u.error : null;
    const workspace = u.kind === 'workspace' ? u.workspace : null;
    const expiresAt = u.kind === 'expiry' ? u.expiresAt : null;
    // A drift write sets both columns, to a report or to null (cleared); other writes keep them.
    const drift = u.kind === 'drift' ? { report: u.drift, cleared: u.cleared } : null;
    const progress = u.totalSteps > 0 ? Math.round((100 * u.completedSteps) / u.totalSteps) : 0;
    const rows: unknown[] = await this.db.query(
      `WITH updated AS (
         UPDATE provisioning_jobs SET
           status = $2::varchar, current_step = $3::varchar, step_seq = $4::int, message = $5::text,
           completed_steps = $6::int, total_steps = $7::int, progress_percent = $8::int,
           plan_summary = COALESCE($9::jsonb, plan_summary),
           provisioned_resources = COALESCE($10::jsonb, provisioned_resources),
           service_endpoints = COALESCE($11::jsonb, service_endpoints),
           error_message = COALESCE($12::text, error_message),
           error_details = COALESCE($13::jsonb, error_details),
           terraform_workspace = COALESCE($14::varchar, terraform_workspace),
           expires_at = COALESCE($17::timestamptz, expires_at),
           drift_detected_at = CASE WHEN $19::boolean THEN $20::timestamptz ELSE drift_detected_at END,
           drift_resources = CASE WHEN $19::boolean THEN $21::jsonb ELSE drift_resources END,
           started_at = COALESCE(started_at, CASE WHEN $2::varchar <> 'queued' THEN now() END),
           completed_at = CASE WHEN $2::varchar = ANY($15::text[]) THEN COALESCE(completed_at, now())
                               ELSE completed_at END,
           actual_duration_seconds = CASE WHEN $2::varchar = 'completed' AND actual_duration_seconds IS NULL
             THEN round(extract(epoch FROM now() - COALESCE(started_at, queued_at)))::int
             ELSE actual_duration_seconds END,
           cleanup_completed_at = CASE WHEN $2::varchar = 'destroyed' THEN COALESCE(cleanup_completed_at, now())
                                       ELSE cleanup_completed_at END,
           updated_at = now()
         WHERE job_id = $1::uuid AND step_seq < $4::int AND status = ANY($18::text[])
         RETURNING job_id)
       INSERT INTO job_events (job_id, seq, status, step, message, details)
       SELECT job_id, $4::int, $2::varchar, $3::varchar, $5::text, $16::jsonb FROM updated
       ON CONFLICT (job_id, seq) DO NOTHING
       RETURNING id`,
      [
        u.jobId,
        u.status,
        storableText(u.step),
        u.seq,
        storableText(u.message),
        u.completedSteps,
        u.totalSteps,
        progress,
        json(planSummary),
        json(resources),
        json(endpoints),
        error ? storableText(error.message) : null,
        json(error ? { code: error.code, ...error.details } : null),
        workspace,
        FINISHED,
        json({
          kind: u.kind,
          ...(planSummary ? { plan_summary: planSummary } : {}),
          // What a destroy left (destroy_failed, destroy_incomplete, a compensation): the event names it too.
          ...(Array.isArray(error?.details.resources_left) ? { resources_left: error.details.resources_left } : {}),
          ...(expiresAt ? { expires_at: expiresAt } : {}),
          ...(drift ? { drift: drift.report, ...(drift.cleared ? { cleared: drift.cleared } : {}) } : {}),
        }),
        expiresAt,
        statusesBefore(u.status),
        drift !== null,
        drift?.report?.detected_at ?? null,
        json(drift?.report?.resources ?? null),
      ],
    );
    return rows.length > 0;
  }
}

function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(storableJson(value));
}

/** The job actions that are audited (job_action_audit.action). */
export type JobAction = 'extend' | 'destroy' | 'cancel';

/** Who asked for an audited action: the principal's id and the request id the answer carried. */
export interface Asker {
  principal: string;
  requestId: string | null;
}

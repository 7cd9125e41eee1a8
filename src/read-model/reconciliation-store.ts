import type { DataSource } from 'typeorm';
import { TERMINAL_STATUSES } from '../domain/job-status';
import { joinPersonalData, PERSONAL_FIELDS } from '../domain/personal-data';
import type { ProvisionRequest } from '../domain/provision-request';
import type { ReconciliationReport, SweptJob } from '../domain/reconciliation';
import type { PersonalDataVault } from './personal-data-vault';

/** What the reconciliation sweep reads from and writes to the read model. */
export class ReconciliationStore {
  /** `vault` opens the personal fields of a request started again; without it they read as redacted. */
  constructor(
    private readonly db: DataSource,
    private readonly vault?: PersonalDataVault,
  ) {}

  /** Jobs whose environment may exist or is being made. */
  async liveJobs(): Promise<SweptJob[]> {
    const rows: Array<Record<string, string | Date>> = await this.db.query(
      `SELECT job_id, tenant_id, tenant_slug, status, workflow_id, expires_at, updated_at
         FROM provisioning_jobs WHERE status <> ALL($1)`,
      [TERMINAL_STATUSES],
    );
    return rows.map((r) => ({
      jobId: r.job_id as string,
      tenantId: r.tenant_id as string,
      tenantSlug: r.tenant_slug as string,
      status: r.status as SweptJob['status'],
      workflowId: r.workflow_id as string,
      expiresAt: (r.expires_at as Date).toISOString(),
      updatedAt: (r.updated_at as Date).toISOString(),
    }));
  }

  /**
   * Tenants whose latest job is `destroyed` and ended within `days` (ADR 27: the sweep searches
   * the cloud for them again), with that job.
   */
  async recentlyDestroyed(days: number): Promise<Array<{ jobId: string; tenantId: string; tenantSlug: string }>> {
    // A later job of the tenant (live or ended) answers for the tenant's cloud itself.
    const rows: Array<{ job_id: string; tenant_id: string; tenant_slug: string }> = await this.db.query(
      `SELECT j.job_id, j.tenant_id, j.tenant_slug FROM provisioning_jobs j
        WHERE j.status = 'destroyed'
          AND COALESCE(j.cleanup_completed_at, j.completed_at, j.updated_at) > now() - make_interval(days => $1::int)
          AND NOT EXISTS (SELECT 1 FROM provisioning_jobs later
                           WHERE later.tenant_id = j.tenant_id AND later.created_at > j.created_at)`,
      [days],
    );
    return rows.map((r) => ({ jobId: r.job_id, tenantId: r.tenant_id, tenantSlug: r.tenant_slug }));
  }

  /** The request a job was accepted with, to start its workflow again; null for no such job. */
  async requestOf(jobId: string): Promise<ProvisionRequest | null> {
    const rows: Array<{ request_payload: ProvisionRequest; personal_data: string | null }> = await this.db.query(
      'SELECT request_payload, personal_data FROM provisioning_jobs WHERE job_id = $1',
      [jobId],
    );
    if (rows.length === 0) return null;
    const { request_payload: stored, personal_data: sealed } = rows[0];
    return joinPersonalData(stored, sealed && this.vault ? this.vault.open(jobId, sealed) : null);
  }

  /**
   * Purges the personal fields of every job whose environment is gone (a terminal status:
   * destroyed, failed, cancelled) for at least `retentionDays`, counted from when it ended:
   * the sealed copy, any clear copy an older version left in request_payload, and the request's
   * hash (made from them; a retry under the job's idempotency key is still recognised). The job, its
   * history and its audit stay, without them. Idempotent; returns the jobs it purged.
   */
  async purgePersonalData(retentionDays: number): Promise<string[]> {
    const rows: Array<{ job_id: string }> = await this.db.query(
      `WITH purged AS (
         UPDATE provisioning_jobs SET personal_data = NULL, personal_data_purged_at = now(), request_hash = NULL,
           request_payload = jsonb_set(request_payload, '{company_info}',
             COALESCE(request_payload -> 'company_info', '{}'::jsonb) - $3::text[])
          WHERE personal_data_purged_at IS NULL AND status = ANY($1::text[])
            AND COALESCE(cleanup_completed_at, completed_at, updated_at) <= now() - make_interval(days => $2::int)
          RETURNING job_id)
       SELECT job_id FROM purged`,
      [TERMINAL_STATUSES, retentionDays, PERSONAL_FIELDS],
    );
    return rows.map((r) => r.job_id);
  }

  /** Records one sweep. Idempotent per start time: a retried activity writes one row. */
  async recordRun(report: ReconciliationReport): Promise<void> {
    const repaired = report.resolutions.filter((r) => r.outcome === 'repaired').length;
    await this.db.query(
      `INSERT INTO reconciliation_runs (started_at, finished_at, repaired, unresolved, resolutions)
       SELECT $1, $2, $3, $4, $5
        WHERE NOT EXISTS (SELECT 1 FROM reconciliation_runs WHERE started_at = $1)`,
      [
        report.startedAt,
        report.finishedAt,
        repaired,
        report.resolutions.length - repaired,
        JSON.stringify(report.resolutions),
      ],
    );
  }
}

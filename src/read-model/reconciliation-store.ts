import type { DataSource } from 'typeorm';
import { TERMINAL_STATUSES } from '../domain/job-status';
import type { ProvisionRequest } from '../domain/provision-request';
import type { ReconciliationReport, SweptJob } from '../domain/reconciliation';

/** What the reconciliation sweep reads from and writes to the read model. */
export class ReconciliationStore {
  constructor(private readonly db: DataSource) {}

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

  /** The request a job was accepted with, to start its workflow again; null for no such job. */
  async requestOf(jobId: string): Promise<ProvisionRequest | null> {
    const rows: Array<{ request_payload: ProvisionRequest }> = await this.db.query(
      'SELECT request_payload FROM provisioning_jobs WHERE job_id = $1',
      [jobId],
    );
    return rows[0]?.request_payload ?? null;
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

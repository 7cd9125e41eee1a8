import type { MigrationInterface, QueryRunner } from 'typeorm';

const LIVE = `('pending','queued','provisioning','completed','destroying')`;

/**
 * What the API needs of the read model: idempotency (request_id, unique), one live job per
 * tenant enforced by the database, who asked, durations, retries, cleanup, tags, the indexes
 * of the job list and of the cleanup sweep, and an audit log of credential reads.
 */
export class ApiReadModel1764460800000 implements MigrationInterface {
  name = 'ApiReadModel1764460800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE provisioning_jobs
        ADD COLUMN request_id varchar(128),
        ADD COLUMN request_hash char(64),
        ADD COLUMN requested_by varchar(64),
        ADD COLUMN estimated_duration_seconds int,
        ADD COLUMN actual_duration_seconds int,
        ADD COLUMN retry_count int NOT NULL DEFAULT 0,
        ADD COLUMN cleanup_completed_at timestamptz,
        ADD COLUMN tags jsonb NOT NULL DEFAULT '{}'::jsonb`);
    // Millisecond creation times: the job list's keyset cursor travels as a JS Date (ms), and
    // microseconds it cannot carry would skip or repeat rows at page boundaries.
    await q.query(`UPDATE provisioning_jobs SET created_at = date_trunc('milliseconds', created_at)`);
    await q.query(
      `ALTER TABLE provisioning_jobs ALTER COLUMN created_at SET DEFAULT date_trunc('milliseconds', now())`,
    );
    await q.query(`CREATE UNIQUE INDEX uq_jobs_request_id ON provisioning_jobs (request_id)`);
    await q.query(`CREATE UNIQUE INDEX uq_jobs_live_tenant ON provisioning_jobs (tenant_id) WHERE status IN ${LIVE}`);
    await q.query(`CREATE INDEX idx_jobs_priority_status_created ON provisioning_jobs (priority, status, created_at)`);
    await q.query(`CREATE INDEX idx_jobs_created_keyset ON provisioning_jobs (created_at DESC, job_id DESC)`);
    await q.query(`CREATE INDEX idx_jobs_cleanup_due ON provisioning_jobs (expires_at) WHERE status = 'completed'`);
    await q.query(`
      CREATE TABLE credential_reads (
        id bigserial PRIMARY KEY,
        job_id uuid NOT NULL REFERENCES provisioning_jobs (job_id) ON DELETE CASCADE,
        principal varchar(64) NOT NULL,
        request_id varchar(128),
        read_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX idx_credential_reads_job ON credential_reads (job_id, read_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE provisioning_jobs ALTER COLUMN created_at SET DEFAULT now()`);
    await q.query(`DROP TABLE credential_reads`);
    for (const index of [
      'idx_jobs_cleanup_due',
      'idx_jobs_created_keyset',
      'idx_jobs_priority_status_created',
      'uq_jobs_live_tenant',
      'uq_jobs_request_id',
    ]) {
      await q.query(`DROP INDEX ${index}`);
    }
    await q.query(`
      ALTER TABLE provisioning_jobs
        DROP COLUMN request_id, DROP COLUMN request_hash, DROP COLUMN requested_by,
        DROP COLUMN estimated_duration_seconds, DROP COLUMN actual_duration_seconds,
        DROP COLUMN retry_count, DROP COLUMN cleanup_completed_at, DROP COLUMN tags`);
  }
}

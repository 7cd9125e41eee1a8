import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who asked to extend, destroy or cancel a job, like credential_reads for credential reads:
 * the principal (an API key's fingerprint or `jwt:<subject>`, never a secret), the request id
 * the answer carried, and what was asked (the new expiry or the reason). Rows go with their job.
 */
export class JobActionAudit1764648000000 implements MigrationInterface {
  name = 'JobActionAudit1764648000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE job_action_audit (
        id bigserial PRIMARY KEY,
        job_id uuid NOT NULL REFERENCES provisioning_jobs (job_id) ON DELETE CASCADE,
        action varchar(16) NOT NULL CHECK (action IN ('extend', 'destroy', 'cancel')),
        principal varchar(64) NOT NULL,
        request_id varchar(128),
        detail jsonb NOT NULL DEFAULT '{}'::jsonb,
        requested_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX idx_job_action_audit_job ON job_action_audit (job_id, requested_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE job_action_audit`);
  }
}

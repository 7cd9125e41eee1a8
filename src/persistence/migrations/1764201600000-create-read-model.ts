import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateReadModel1764201600000 implements MigrationInterface {
  name = 'CreateReadModel1764201600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE provisioning_jobs (
        job_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        tenant_slug varchar(63) NOT NULL,
        poc_tier varchar(32) NOT NULL,
        status varchar(16) NOT NULL,
        priority varchar(16) NOT NULL,
        workflow_id varchar(200) NOT NULL,
        request_payload jsonb NOT NULL,
        terraform_workspace varchar(500),
        plan_summary jsonb,
        current_step varchar(64),
        step_seq int NOT NULL DEFAULT 0,
        total_steps int NOT NULL DEFAULT 0,
        completed_steps int NOT NULL DEFAULT 0,
        progress_percent int NOT NULL DEFAULT 0 CHECK (progress_percent BETWEEN 0 AND 100),
        message text,
        provisioned_resources jsonb,
        service_endpoints jsonb,
        error_message text,
        error_details jsonb,
        expires_at timestamptz NOT NULL,
        queued_at timestamptz NOT NULL,
        started_at timestamptz,
        completed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_jobs_status CHECK (status IN
          ('pending','queued','provisioning','completed','failed','destroying','destroyed','cancelled'))
      )`);
    await q.query(`CREATE INDEX idx_jobs_status_created ON provisioning_jobs (status, created_at)`);
    await q.query(`CREATE INDEX idx_jobs_tenant_status ON provisioning_jobs (tenant_id, status)`);
    await q.query(`
      CREATE TABLE job_events (
        id bigserial PRIMARY KEY,
        job_id uuid NOT NULL REFERENCES provisioning_jobs (job_id) ON DELETE CASCADE,
        seq int NOT NULL,
        status varchar(16) NOT NULL,
        step varchar(64) NOT NULL,
        message text,
        details jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_job_events_job_seq ON job_events (job_id, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE job_events`);
    await q.query(`DROP TABLE provisioning_jobs`);
  }
}

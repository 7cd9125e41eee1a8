import type { MigrationInterface, QueryRunner } from 'typeorm';
import { JOB_STATUSES, LIVE_STATUSES, sqlStatusList } from '../../domain/job-state-machine';

/**
 * The job state machine's statuses in the database (adds destroy_failed): the status CHECK
 * constraint and the one-live-job-per-tenant index are generated from the state machine's
 * lists, so the database admits exactly what the code knows. A later change of the lists
 * needs a migration of its own (the read-model test compares the constraint with the lists).
 */
export class JobStateMachine1764633600000 implements MigrationInterface {
  name = 'JobStateMachine1764633600000';

  async up(q: QueryRunner): Promise<void> {
    await this.define(q, sqlStatusList(JOB_STATUSES), sqlStatusList(LIVE_STATUSES));
  }

  async down(q: QueryRunner): Promise<void> {
    await this.define(
      q,
      `('pending','queued','provisioning','completed','failed','destroying','destroyed','cancelled')`,
      `('pending','queued','provisioning','completed','destroying')`,
    );
  }

  private async define(q: QueryRunner, statuses: string, live: string): Promise<void> {
    // status was varchar(16): 'destroy_failed' has 14 characters, the column keeps its width.
    await q.query(`ALTER TABLE provisioning_jobs DROP CONSTRAINT ck_jobs_status`);
    await q.query(`ALTER TABLE provisioning_jobs ADD CONSTRAINT ck_jobs_status CHECK (status IN ${statuses})`);
    await q.query(`DROP INDEX uq_jobs_live_tenant`);
    await q.query(`CREATE UNIQUE INDEX uq_jobs_live_tenant ON provisioning_jobs (tenant_id) WHERE status IN ${live}`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';
import { JOB_STATUSES, LIVE_STATUSES, sqlStatusList } from '../../domain/job-state-machine';

/** The lists before destroy_incomplete (ADR 27), for `down`. */
const BEFORE = JOB_STATUSES.filter((s) => s !== 'destroy_incomplete');
const LIVE_BEFORE = LIVE_STATUSES.filter((s) => s !== 'destroy_incomplete');

/**
 * Adds destroy_incomplete (a destroy whose proof of deletion found resources left, ADR 27): the
 * status columns widen (the word has 18 characters; varchar(16) held the others), and the
 * status CHECK and both one-live-job indexes are generated again from the state machine's lists.
 * Widening a varchar rewrites neither the table nor its indexes.
 */
export class DestroyIncomplete1764669600000 implements MigrationInterface {
  name = 'DestroyIncomplete1764669600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE provisioning_jobs ALTER COLUMN status TYPE varchar(32)`);
    await q.query(`ALTER TABLE job_events ALTER COLUMN status TYPE varchar(32)`);
    await this.define(q, sqlStatusList(JOB_STATUSES), sqlStatusList(LIVE_STATUSES));
  }

  async down(q: QueryRunner): Promise<void> {
    // A job still destroy_incomplete is a destroy to finish: the older engine knows it as destroy_failed.
    await q.query(`UPDATE provisioning_jobs SET status = 'destroy_failed' WHERE status = 'destroy_incomplete'`);
    await q.query(`UPDATE job_events SET status = 'destroy_failed' WHERE status = 'destroy_incomplete'`);
    await this.define(q, sqlStatusList(BEFORE), sqlStatusList(LIVE_BEFORE));
    await q.query(`ALTER TABLE job_events ALTER COLUMN status TYPE varchar(16)`);
    await q.query(`ALTER TABLE provisioning_jobs ALTER COLUMN status TYPE varchar(16)`);
  }

  private async define(q: QueryRunner, statuses: string, live: string): Promise<void> {
    await q.query(`ALTER TABLE provisioning_jobs DROP CONSTRAINT ck_jobs_status`);
    await q.query(`ALTER TABLE provisioning_jobs ADD CONSTRAINT ck_jobs_status CHECK (status IN ${statuses})`);
    await q.query(`DROP INDEX uq_jobs_live_tenant`);
    await q.query(`CREATE UNIQUE INDEX uq_jobs_live_tenant ON provisioning_jobs (tenant_id) WHERE status IN ${live}`);
    await q.query(`DROP INDEX uq_jobs_live_slug`);
    await q.query(`CREATE UNIQUE INDEX uq_jobs_live_slug ON provisioning_jobs (tenant_slug) WHERE status IN ${live}`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Links to a job's run artifacts (plans, tofu logs) in the artifacts bucket. */
export class AddRunArtifacts1764547200000 implements MigrationInterface {
  name = 'AddRunArtifacts1764547200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE provisioning_jobs ADD COLUMN artifacts jsonb NOT NULL DEFAULT '{}'::jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE provisioning_jobs DROP COLUMN artifacts`);
  }
}

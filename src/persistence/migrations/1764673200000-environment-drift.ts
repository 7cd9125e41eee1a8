import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A live environment's drift (ADR 28): when a check first saw the environment differ from its
 * configuration, and what differs (addresses, actions, attribute names; never values). Both
 * null while none is known; the workflow clears them when the drift is gone or repaired.
 */
export class EnvironmentDrift1764673200000 implements MigrationInterface {
  name = 'EnvironmentDrift1764673200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE provisioning_jobs ADD COLUMN drift_detected_at timestamptz`);
    await q.query(`ALTER TABLE provisioning_jobs ADD COLUMN drift_resources jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE provisioning_jobs DROP COLUMN drift_resources`);
    await q.query(`ALTER TABLE provisioning_jobs DROP COLUMN drift_detected_at`);
  }
}

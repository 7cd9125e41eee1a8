import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Encrypted access credentials of an environment (AES-256-GCM sealed box, base64). */
export class AddAccessCredentials1764288000000 implements MigrationInterface {
  name = 'AddAccessCredentials1764288000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE provisioning_jobs ADD COLUMN access_credentials text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE provisioning_jobs DROP COLUMN access_credentials`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';
import { PersonalDataVault } from '../../read-model/personal-data-vault';
import { sealClearPersonalData, unsealPersonalData } from '../../read-model/seal-clear-personal-data';

/**
 * Personal data at rest (ADR 20): the request's personal fields move out of request_payload
 * into `personal_data`, sealed (AES-256-GCM, purpose `personal-data`, AAD = job id), and
 * `personal_data_purged_at` records when the reconciliation sweep purged them. Rows written
 * before hold them in clear: this migration seals them, so it needs ENCRYPTION_KEY when such
 * rows exist (and says so instead of dropping them). Safe to run twice: the columns are added
 * only if missing and only rows still holding clear fields are touched.
 */
export function sealPersonalDataMigration(encryptionKeys?: readonly Buffer[]) {
  const vault = () => (encryptionKeys?.length ? PersonalDataVault.fromKeys(encryptionKeys) : null);
  return class SealPersonalData1764655200000 implements MigrationInterface {
    name = 'SealPersonalData1764655200000';

    async up(q: QueryRunner): Promise<void> {
      await q.query(`ALTER TABLE provisioning_jobs
        ADD COLUMN IF NOT EXISTS personal_data text,
        ADD COLUMN IF NOT EXISTS personal_data_purged_at timestamptz`);
      await sealClearPersonalData(q, vault());
      // The purge looks for terminal jobs whose personal data is still kept.
      await q.query(`CREATE INDEX IF NOT EXISTS idx_jobs_personal_data_kept ON provisioning_jobs (status)
        WHERE personal_data_purged_at IS NULL`);
    }

    async down(q: QueryRunner): Promise<void> {
      await unsealPersonalData(q, vault());
      await q.query(`DROP INDEX IF EXISTS idx_jobs_personal_data_kept`);
      await q.query(`ALTER TABLE provisioning_jobs DROP COLUMN personal_data, DROP COLUMN personal_data_purged_at`);
    }
  };
}

import type { DataSource } from 'typeorm';
import type { PersonalDataVault } from './personal-data-vault';

/**
 * Re-seals every job's sealed personal fields with the vault's current key (key rotation), like
 * resealCredentials: each row opened with whichever key sealed it, written back in its own
 * statement only if unchanged meanwhile (a purge wins), so an interrupted run is simply run again.
 * Returns how many it re-sealed.
 */
export async function resealPersonalData(db: DataSource, vault: PersonalDataVault): Promise<number> {
  const rows: Array<{ job_id: string; personal_data: string }> = await db.query(
    'SELECT job_id, personal_data FROM provisioning_jobs WHERE personal_data IS NOT NULL',
  );
  for (const r of rows) {
    await db.query('UPDATE provisioning_jobs SET personal_data = $3 WHERE job_id = $1 AND personal_data = $2', [
      r.job_id,
      r.personal_data,
      vault.reseal(r.job_id, r.personal_data),
    ]);
  }
  return rows.length;
}

import type { DataSource } from 'typeorm';
import type { SecretBox } from '../crypto/secret-box';

/**
 * Re-seals every stored credential with the box's current key (key rotation): each row is
 * opened with whichever key sealed it and written back sealed with the current one, in its
 * own statement, so an interrupted run can simply be run again. Returns how many it re-sealed.
 */
export async function resealCredentials(db: DataSource, box: SecretBox): Promise<number> {
  const rows: Array<{ job_id: string; access_credentials: string }> = await db.query(
    'SELECT job_id, access_credentials FROM provisioning_jobs WHERE access_credentials IS NOT NULL',
  );
  for (const r of rows) {
    const plain = box.open(Buffer.from(r.access_credentials, 'base64'), r.job_id);
    const resealed = box.seal(plain, r.job_id).toString('base64');
    // Only if nobody changed it meanwhile (credentials are written once; this is belt and braces).
    await db.query(
      'UPDATE provisioning_jobs SET access_credentials = $3 WHERE job_id = $1 AND access_credentials = $2',
      [r.job_id, r.access_credentials, resealed],
    );
  }
  return rows.length;
}

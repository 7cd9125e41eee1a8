import { joinPersonalData, PERSONAL_FIELDS, splitPersonalData, type PersonalData } from '../domain/personal-data';
import type { ProvisionRequest } from '../domain/provision-request';
import type { PersonalDataVault } from './personal-data-vault';

/** What runs SQL: a DataSource or a migration's QueryRunner. */
export interface Sql {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** Rows whose request_payload still holds a personal field in clear ($n: the PERSONAL_FIELDS). */
const clearRows = (n: number) => `request_payload -> 'company_info' ?| $${n}::text[]`;

/**
 * Moves every personal field still in clear in request_payload (rows written before ADR 20) into
 * the sealed personal_data column, row by row, each in one statement that applies only while the
 * row still holds them: safe to run again, and an interrupted run is simply repeated. A row
 * whose personal data was already purged is only stripped. Returns how many rows it changed.
 * @throws when such rows exist and no vault (no ENCRYPTION_KEY) was given: clear data is never
 *   silently dropped.
 */
export async function sealClearPersonalData(sql: Sql, vault: PersonalDataVault | null): Promise<number> {
  const rows = (await sql.query(
    `SELECT job_id, request_payload, personal_data, personal_data_purged_at
       FROM provisioning_jobs WHERE ${clearRows(1)}`,
    [PERSONAL_FIELDS],
  )) as Array<{
    job_id: string;
    request_payload: ProvisionRequest;
    personal_data: string | null;
    personal_data_purged_at: Date | null;
  }>;
  if (rows.length === 0) return 0;
  if (!vault)
    throw new Error(
      `${rows.length} jobs hold personal data in clear; set ENCRYPTION_KEY (and ENCRYPTION_KEYS_RETIRED) so they can be sealed`,
    );
  let changed = 0;
  for (const r of rows) {
    const { request, personal } = splitPersonalData(r.request_payload);
    let sealed: string | null = null;
    if (!r.personal_data_purged_at) {
      // Fields sealed earlier win over clear ones (the clear copy is the older write).
      const earlier: PersonalData = r.personal_data ? vault.open(r.job_id, r.personal_data) : {};
      sealed = vault.seal(r.job_id, { ...personal, ...earlier });
    }
    const updated = (await sql.query(
      // In a CTE, so that the answer is the rows (TypeORM answers an UPDATE with [rows, count]).
      `WITH updated AS (
         UPDATE provisioning_jobs SET request_payload = $2::jsonb, personal_data = $3
          WHERE job_id = $1 AND ${clearRows(4)} RETURNING job_id)
       SELECT job_id FROM updated`,
      [r.job_id, JSON.stringify(request), sealed, PERSONAL_FIELDS],
    )) as unknown[];
    changed += updated.length;
  }
  return changed;
}

/** The reverse, for a migration's down: personal fields back in request_payload, in clear. */
export async function unsealPersonalData(sql: Sql, vault: PersonalDataVault | null): Promise<number> {
  const rows = (await sql.query(
    'SELECT job_id, request_payload, personal_data FROM provisioning_jobs WHERE personal_data IS NOT NULL',
  )) as Array<{ job_id: string; request_payload: ProvisionRequest; personal_data: string }>;
  if (rows.length > 0 && !vault)
    throw new Error(`${rows.length} jobs hold sealed personal data; set ENCRYPTION_KEY to open it`);
  for (const r of rows) {
    const request = joinPersonalData(r.request_payload, vault!.open(r.job_id, r.personal_data));
    await sql.query(
      'UPDATE provisioning_jobs SET request_payload = $2::jsonb, personal_data = NULL WHERE job_id = $1',
      [r.job_id, JSON.stringify(request)],
    );
  }
  return rows.length;
}

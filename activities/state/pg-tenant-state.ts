import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

/**
 * The name tofu's pg backend gives its table, and the sequence its ids come from. The ids are
 * also the advisory lock keys it locks a state with, so every tenant's table must draw them
 * from this one database-wide sequence: two tenants never share a lock key.
 */
const TABLE = 'states';
const SEQUENCE = 'public.global_states_id_seq';
/** The state of the backend's only workspace. */
const WORKSPACE = 'default';
/** Errors of two sessions creating the same catalog object at once despite IF NOT EXISTS. */
const CREATION_RACES = new Set(['23505', '42P07', '42710']);

/**
 * Creates the tenant's state schema, table and an empty state row (workspace `default`) unless
 * they exist, so that tofu's pg backend, told to skip creating them, never takes its
 * database-wide creation lock (advisory lock -1) for a new tenant: OpenTofu (1.6 to 1.12) holds that lock
 * for the whole first plan and apply of a tenant that has no row yet, and every other tenant's
 * lock attempt fails on it meanwhile (issue 16, item 7; ADR 18).
 *
 * `schema` must be a safe identifier (stateSchemaName: tfstate_ and hex digits).
 */
export async function ensureTenantState(databaseUrl: string, schema: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const exists = await client
      .query(`SELECT 1 FROM "${schema}".${TABLE} WHERE name = $1`, [WORKSPACE])
      .then((r) => (r.rowCount ?? 0) > 0)
      .catch(() => false);
    if (exists) return;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await createTenantState(client, schema);
        return;
      } catch (err) {
        if (attempt >= 3 || !CREATION_RACES.has((err as { code?: string }).code ?? '')) throw err;
      }
    }
  } finally {
    await client.end();
  }
}

async function createTenantState(client: Client, schema: string): Promise<void> {
  // The same objects, with the same names, as the backend itself would create (OpenTofu 1.6.3,
  // internal/backend/remote-state/pg/backend.go), so a backend that does create them finds them.
  await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await client.query(`CREATE SEQUENCE IF NOT EXISTS ${SEQUENCE} AS bigint`);
  await client.query(
    `CREATE TABLE IF NOT EXISTS "${schema}".${TABLE} (
       id bigint NOT NULL DEFAULT nextval('${SEQUENCE}') PRIMARY KEY,
       name text UNIQUE,
       data text
     )`,
  );
  await client.query(`CREATE UNIQUE INDEX IF NOT EXISTS states_by_name ON "${schema}".${TABLE} (name)`);
  await client.query(`INSERT INTO "${schema}".${TABLE} (name, data) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [
    WORKSPACE,
    emptyState(),
  ]);
}

/**
 * An empty state snapshot, as tofu writes one for a new workspace. Written by the oldest
 * OpenTofu (1.6.0) so that any tofu the engine runs reads it; tofu keeps its lineage. It is
 * plain (the engine cannot encrypt as tofu does with KMS): tofu opens it through the
 * `unencrypted` fallback and writes it back encrypted (ADR 22).
 */
function emptyState(): string {
  return JSON.stringify({
    version: 4,
    terraform_version: '1.6.0',
    serial: 0,
    lineage: randomUUID(),
    outputs: {},
    resources: [],
    check_results: null,
  });
}

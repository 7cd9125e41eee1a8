import type { DataSource } from 'typeorm';
import { stateSchemaName } from '../../src/domain/workflow-ids';
import { trackedResourcesIfReadable } from './state-contents';

const SCHEMA_PREFIX = 'tfstate_';

/** The tenant's OpenTofu state in Postgres (pg backend, one schema per tenant). */
export class PgStateStore {
  constructor(
    private readonly db: DataSource,
    /** Opens state tofu encrypted with the engine's keys (statePassphrases). */
    private readonly passphrases: readonly string[] = [],
  ) {}

  /** Drops the tenant's state. Only after a successful destroy: state is the map of what exists. */
  async remove(tenantId: string): Promise<void> {
    // The name is built from the tenant UUID's hex digits only, so it is a safe identifier.
    await this.db.query(`DROP SCHEMA IF EXISTS "${stateSchemaName(tenantId)}" CASCADE`);
  }

  /** Every tenant that has state, with how many resources its state tracks. */
  async list(): Promise<Array<{ tenantId: string; resources: number | null }>> {
    const schemas: Array<{ name: string }> = await this.db.query(
      `SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name ~ '^tfstate_[0-9a-f]{32}$'`,
    );
    return Promise.all(
      schemas.map(async ({ name }) => ({ tenantId: tenantIdOf(name), resources: await this.resourceCount(name) })),
    );
  }

  /** null: a snapshot is encrypted with a key the engine cannot open here (Cloud KMS). */
  private async resourceCount(schema: string): Promise<number | null> {
    const hasStates: unknown[] = await this.db.query(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'states'`,
      [schema],
    );
    if (hasStates.length === 0) return 0;
    const rows: Array<{ data: string }> = await this.db.query(`SELECT data FROM "${schema}".states`);
    const counts = await Promise.all(rows.map((r) => trackedResourcesIfReadable(r.data, this.passphrases)));
    return counts.includes(null) ? null : (counts as number[]).reduce((n, c) => n + c, 0);
  }
}

/** The tenant UUID a state schema belongs to (the inverse of stateSchemaName). */
function tenantIdOf(schema: string): string {
  const h = schema.slice(SCHEMA_PREFIX.length);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

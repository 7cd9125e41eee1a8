import type { DataSource } from 'typeorm';
import { stateSchemaName } from '../../src/domain/workflow-ids';

/** The tenant's OpenTofu state in Postgres (pg backend, one schema per tenant). */
export class PgStateStore {
  constructor(private readonly db: DataSource) {}

  /** Drops the tenant's state. Only after a successful destroy: state is the map of what exists. */
  async remove(tenantId: string): Promise<void> {
    // The name is built from the tenant UUID's hex digits only, so it is a safe identifier.
    await this.db.query(`DROP SCHEMA IF EXISTS "${stateSchemaName(tenantId)}" CASCADE`);
  }
}

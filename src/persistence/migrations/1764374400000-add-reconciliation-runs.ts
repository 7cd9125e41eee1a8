import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One row per reconciliation sweep: what it found, what it repaired, what it left for an engineer. */
export class AddReconciliationRuns1764374400000 implements MigrationInterface {
  name = 'AddReconciliationRuns1764374400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reconciliation_runs (
        run_id bigserial PRIMARY KEY,
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL,
        repaired int NOT NULL,
        unresolved int NOT NULL,
        resolutions jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX idx_reconciliation_runs_finished ON reconciliation_runs (finished_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reconciliation_runs`);
  }
}

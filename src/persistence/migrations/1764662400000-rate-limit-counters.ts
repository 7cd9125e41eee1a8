import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fixed-window rate-limit counters shared by every gateway replica: the per-caller limit
 * (keyed by a hash of route and caller) and failed authentication per client address (keyed
 * by a hash of the address, never the address itself). Rows whose window and block are over
 * are swept by the gateways.
 */
export class RateLimitCounters1764662400000 implements MigrationInterface {
  name = 'RateLimitCounters1764662400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rate_limit_counters (
        key varchar(200) PRIMARY KEY,
        hits integer NOT NULL,
        window_ends_at timestamptz NOT NULL,
        blocked_until timestamptz
      )`);
    await q.query(`CREATE INDEX idx_rate_limit_counters_window ON rate_limit_counters (window_ends_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limit_counters`);
  }
}

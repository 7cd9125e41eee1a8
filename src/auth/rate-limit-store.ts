import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { DataSource } from 'typeorm';

/** One counter after a hit: hits in its window, and how long the window and any block last. */
export interface WindowHit {
  hits: number;
  /** Milliseconds until the window ends (then the count starts again). */
  windowMs: number;
  /** Milliseconds the key stays blocked; 0 when it is not blocked. */
  blockedMs: number;
}

// One atomic statement per hit, so that every gateway replica counts in the same row. A key
// whose block has ended, or whose window has ended, starts a new window at this hit; a blocked
// key is not counted further. `$3` is the limit (blocked beyond it), `$4` the block in ms.
// Every authenticated request hits one row per caller: the statement commits without waiting
// for its WAL flush (synchronous_commit off for this transaction only). A crash of Postgres may
// forget the last few hundred milliseconds of counts, which a limit can afford; the callers of
// one key no longer queue on that row behind a disk flush each.
const HIT = `
  INSERT INTO rate_limit_counters AS c (key, hits, window_ends_at, blocked_until)
  SELECT $1::text, 1, now() + $2 * interval '1 millisecond',
         CASE WHEN 1 > $3 THEN now() + $4 * interval '1 millisecond' END
  FROM (SELECT set_config('synchronous_commit', 'off', true)) AS this_transaction
  ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN c.blocked_until > now() THEN c.hits
                WHEN c.window_ends_at <= now() OR c.blocked_until IS NOT NULL THEN 1
                ELSE c.hits + 1 END,
    window_ends_at = CASE WHEN c.blocked_until > now() THEN c.window_ends_at
                          WHEN c.window_ends_at <= now() OR c.blocked_until IS NOT NULL THEN EXCLUDED.window_ends_at
                          ELSE c.window_ends_at END,
    blocked_until = CASE WHEN c.blocked_until > now() THEN c.blocked_until
                         WHEN c.window_ends_at <= now() OR c.blocked_until IS NOT NULL THEN EXCLUDED.blocked_until
                         WHEN c.hits + 1 > $3 THEN now() + $4 * interval '1 millisecond'
                         ELSE NULL END
  RETURNING hits,
            ceil(greatest(0, extract(epoch FROM window_ends_at - now()) * 1000))::bigint AS window_ms,
            ceil(greatest(0, coalesce(extract(epoch FROM blocked_until - now()) * 1000, 0)))::bigint AS blocked_ms`;

const BLOCKED = `
  SELECT ceil(extract(epoch FROM blocked_until - now()) * 1000)::bigint AS blocked_ms
  FROM rate_limit_counters WHERE key = $1 AND blocked_until > now()`;

// Rows whose window and block are over are dead weight: removed now and then by any replica.
const SWEEP = `DELETE FROM rate_limit_counters WHERE window_ends_at < now() AND (blocked_until IS NULL OR blocked_until < now())`;
const SWEEP_EVERY_MS = 60_000;

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Fixed-window counters in Postgres (table rate_limit_counters), shared by every gateway
 * replica: the per-caller rate limit (through the throttler's storage interface) and the
 * failed-authentication limit per client address. When Postgres does not answer, a hit is let
 * through (logged): the read model is down then anyway, and a limit must not become the outage.
 */
export class PgRateLimitStore implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');
  private lastSweep = 0;
  private lastWarning = 0;

  constructor(private readonly db: DataSource) {}

  /** Counts a hit of `key`; blocked for `blockMs` once the hits in the window exceed `limit`. */
  async hit(key: string, windowMs: number, limit: number, blockMs: number): Promise<WindowHit> {
    this.sweepNowAndThen();
    try {
      const [row] = await this.db.query<Array<Record<string, string>>>(HIT, [key, windowMs, limit, blockMs]);
      return { hits: Number(row.hits), windowMs: Number(row.window_ms), blockedMs: Number(row.blocked_ms) };
    } catch (e) {
      this.warn(e);
      return { hits: 0, windowMs, blockedMs: 0 };
    }
  }

  /** How long `key` stays blocked (ms), without counting a hit; 0 when it is not. */
  async blockedFor(key: string): Promise<number> {
    try {
      const rows = await this.db.query<Array<{ blocked_ms: string }>>(BLOCKED, [key]);
      return rows.length ? Math.max(1, Number(rows[0].blocked_ms)) : 0;
    } catch (e) {
      this.warn(e);
      return 0;
    }
  }

  /** The throttler's storage interface: ttl and blockDuration in ms, times answered in seconds. */
  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const hit = await this.hit(`throttle:${throttlerName}:${key}`, ttl, limit, blockDuration);
    return {
      totalHits: hit.hits,
      timeToExpire: Math.ceil(hit.windowMs / 1000),
      isBlocked: hit.blockedMs > 0,
      timeToBlockExpire: Math.ceil(hit.blockedMs / 1000),
    };
  }

  private sweepNowAndThen(): void {
    const now = Date.now();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    this.db.query(SWEEP).catch((e: unknown) => this.warn(e));
  }

  private warn(e: unknown): void {
    const now = Date.now();
    if (now - this.lastWarning < SWEEP_EVERY_MS) return;
    this.lastWarning = now;
    this.logger.warn(
      `rate limit store unavailable, letting requests through: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

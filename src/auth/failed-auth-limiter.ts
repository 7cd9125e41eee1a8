import { createHash } from 'node:crypto';
import type { PgRateLimitStore } from './rate-limit-store';

/** AUTH_FAILURE_LIMIT failures per AUTH_FAILURE_WINDOW_SECONDS from one client address. */
export interface FailedAuthLimits {
  limit: number;
  windowSeconds: number;
}

/**
 * How long (ms) an address found not blocked is answered from memory before Postgres is asked
 * again. It bounds how long a block set by another gateway replica may go unseen here (requests
 * of that address within this time, since its last failure here, still pass); a block this
 * replica sets (its own failure count reached the limit) is seen at once, and after a failure
 * here the address's next request asks Postgres.
 */
export const BLOCK_CHECK_REUSE_MS = 1000;
/** Addresses whose last check is kept; past this the oldest checks are dropped (asked again). */
export const MAX_REMEMBERED_ADDRESSES = 10_000;

/** One address's last check: blocked until `blockedUntil` (epoch ms, 0 = not blocked), reused until `reuseUntil`. */
interface Check {
  reuseUntil: number;
  blockedUntil: Promise<number>;
}

/**
 * Throttles callers that fail authentication, per client address, across every replica (the
 * counters live in Postgres): the limit-th failure in a window blocks the address for a window,
 * and a blocked address is answered 429 before any key is compared or token verified.
 *
 * The block check runs before every authenticated request, so its answer is reused: "not
 * blocked" for BLOCK_CHECK_REUSE_MS, "blocked" until the block ends (a block is never lifted
 * early). Concurrent requests of one address share one query.
 */
export class FailedAuthLimiter {
  private readonly checks = new Map<string, Check>();

  constructor(
    private readonly store: Pick<PgRateLimitStore, 'hit' | 'blockedFor'>,
    private readonly limits: FailedAuthLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds the address must wait before it may try again; 0 when it may try now. */
  async retryAfterSeconds(address: string): Promise<number> {
    const now = this.now();
    let check = this.checks.get(address);
    if (!check || check.reuseUntil <= now) {
      const blockedUntil = this.store.blockedFor(keyOf(address)).then((ms) => (ms > 0 ? now + ms : 0));
      check = { reuseUntil: now + BLOCK_CHECK_REUSE_MS, blockedUntil };
      this.remember(address, check);
      const mine = check;
      void blockedUntil.then(
        (until) => {
          // A block is answered from memory until it ends.
          if (until > now && this.checks.get(address) === mine) mine.reuseUntil = until;
        },
        // A failed check is not reused: the next request asks again.
        () => this.checks.get(address) === mine && this.checks.delete(address),
      );
    }
    const until = await check.blockedUntil;
    return Math.max(0, Math.ceil((until - this.now()) / 1000));
  }

  /** Counts one failed attempt of the address. */
  async recordFailure(address: string): Promise<void> {
    const windowMs = this.limits.windowSeconds * 1000;
    // Blocked once the hits exceed limit - 1, i.e. at the limit-th failure.
    const { blockedMs } = await this.store.hit(keyOf(address), windowMs, this.limits.limit - 1, windowMs);
    // A block this failure set is answered from memory until it ends. Otherwise the address's
    // next request asks again: a failing address is the one another replica may block next.
    if (blockedMs > 0) {
      const until = this.now() + blockedMs;
      this.remember(address, { reuseUntil: until, blockedUntil: Promise.resolve(until) });
    } else {
      this.checks.delete(address);
    }
  }

  private remember(address: string, check: Check): void {
    // Re-inserted, so the Map's order is the order of last checks: the oldest go first.
    this.checks.delete(address);
    this.checks.set(address, check);
    if (this.checks.size > MAX_REMEMBERED_ADDRESSES) {
      const oldest = this.checks.keys().next().value;
      if (oldest !== undefined) this.checks.delete(oldest);
    }
  }
}

/** The counter's key: a hash of the address, so the table holds no client addresses. */
function keyOf(address: string): string {
  return `auth-failures:${createHash('sha256').update(address).digest('hex').slice(0, 32)}`;
}

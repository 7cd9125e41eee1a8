import { createHash } from 'node:crypto';
import type { PgRateLimitStore } from './rate-limit-store';

/** AUTH_FAILURE_LIMIT failures per AUTH_FAILURE_WINDOW_SECONDS from one client address. */
export interface FailedAuthLimits {
  limit: number;
  windowSeconds: number;
}

/**
 * Throttles callers that fail authentication, per client address, across every replica (the
 * counters live in Postgres): the limit-th failure in a window blocks the address for a window,
 * and a blocked address is answered 429 before any key is compared or token verified.
 */
export class FailedAuthLimiter {
  constructor(
    private readonly store: Pick<PgRateLimitStore, 'hit' | 'blockedFor'>,
    private readonly limits: FailedAuthLimits,
  ) {}

  /** Seconds the address must wait before it may try again; 0 when it may try now. */
  async retryAfterSeconds(address: string): Promise<number> {
    return Math.ceil((await this.store.blockedFor(keyOf(address))) / 1000);
  }

  /** Counts one failed attempt of the address. */
  async recordFailure(address: string): Promise<void> {
    const windowMs = this.limits.windowSeconds * 1000;
    // Blocked once the hits exceed limit - 1, i.e. at the limit-th failure.
    await this.store.hit(keyOf(address), windowMs, this.limits.limit - 1, windowMs);
  }
}

/** The counter's key: a hash of the address, so the table holds no client addresses. */
function keyOf(address: string): string {
  return `auth-failures:${createHash('sha256').update(address).digest('hex').slice(0, 32)}`;
}

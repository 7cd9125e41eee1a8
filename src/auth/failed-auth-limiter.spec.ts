import { BLOCK_CHECK_REUSE_MS, FailedAuthLimiter, MAX_REMEMBERED_ADDRESSES } from './failed-auth-limiter';

/** A store whose rows are a map of key → blocked-until (ms on the test's clock); counts reads. No I/O. */
function aStore(clock: { now: number }, limit = 3) {
  const blocked = new Map<string, number>();
  const hits = new Map<string, number>();
  const store = {
    reads: 0,
    /** A block another replica set, of every key (the test's one address). */
    elsewhere: 0,
    blockedFor(key: string): Promise<number> {
      store.reads += 1;
      const until = Math.max(blocked.get(key) ?? 0, store.elsewhere);
      return Promise.resolve(until > clock.now ? until - clock.now : 0);
    },
    hit(key: string, windowMs: number) {
      const n = (hits.get(key) ?? 0) + 1;
      hits.set(key, n);
      if (n >= limit) blocked.set(key, clock.now + windowMs);
      return Promise.resolve({ hits: n, windowMs, blockedMs: n >= limit ? windowMs : 0 });
    },
  };
  return store;
}

describe('FailedAuthLimiter', () => {
  const limits = { limit: 3, windowSeconds: 60 };

  it('asks the store once for an address checked again within the reuse time, and again after it', async () => {
    const clock = { now: 1_000_000 };
    const store = aStore(clock);
    const limiter = new FailedAuthLimiter(store, limits, () => clock.now);

    await Promise.all([limiter.retryAfterSeconds('a'), limiter.retryAfterSeconds('a')]);
    clock.now += BLOCK_CHECK_REUSE_MS - 1;
    expect(await limiter.retryAfterSeconds('a')).toBe(0);
    expect(store.reads).toBe(1);

    clock.now += 1;
    expect(await limiter.retryAfterSeconds('a')).toBe(0);
    expect(store.reads).toBe(2);
  });

  it('sees a block set elsewhere no later than the reuse time after its last check', async () => {
    const clock = { now: 1_000_000 };
    const store = aStore(clock);
    const limiter = new FailedAuthLimiter(store, limits, () => clock.now);
    await limiter.retryAfterSeconds('a');
    store.elsewhere = clock.now + 60_000;

    clock.now += BLOCK_CHECK_REUSE_MS;
    expect(await limiter.retryAfterSeconds('a')).toBe(60 - BLOCK_CHECK_REUSE_MS / 1000);
  });

  it('blocks at once after the failure that reaches the limit here, and answers the block from memory until it ends', async () => {
    const clock = { now: 1_000_000 };
    const store = aStore(clock);
    const limiter = new FailedAuthLimiter(store, limits, () => clock.now);
    expect(await limiter.retryAfterSeconds('a')).toBe(0);
    for (let i = 0; i < 3; i += 1) await limiter.recordFailure('a');
    const reads = store.reads;

    expect(await limiter.retryAfterSeconds('a')).toBe(60);
    clock.now += 59_000;
    expect(await limiter.retryAfterSeconds('a')).toBe(1);
    expect(store.reads).toBe(reads);
    clock.now += 1000;
    expect(await limiter.retryAfterSeconds('a')).toBe(0);
    expect(store.reads).toBe(reads + 1);
  });

  it('asks the store again after a failure that did not block', async () => {
    const clock = { now: 1_000_000 };
    const store = aStore(clock);
    const limiter = new FailedAuthLimiter(store, limits, () => clock.now);
    await limiter.retryAfterSeconds('a');
    await limiter.recordFailure('a');
    await limiter.retryAfterSeconds('a');
    expect(store.reads).toBe(2);
  });

  it('does not reuse a check that failed', async () => {
    const clock = { now: 1_000_000 };
    let reads = 0;
    const store = {
      blockedFor: () => (++reads === 1 ? Promise.reject(new Error('down')) : Promise.resolve(0)),
      hit: () => Promise.resolve({ hits: 1, windowMs: 1, blockedMs: 0 }),
    };
    const limiter = new FailedAuthLimiter(store, limits, () => clock.now);
    await expect(limiter.retryAfterSeconds('a')).rejects.toThrow('down');
    expect(await limiter.retryAfterSeconds('a')).toBe(0);
    expect(reads).toBe(2);
  });

  it('remembers at most MAX_REMEMBERED_ADDRESSES addresses, dropping the oldest check', async () => {
    const clock = { now: 1_000_000 };
    const store = aStore(clock);
    const limiter = new FailedAuthLimiter(store, limits, () => clock.now);
    for (let i = 0; i <= MAX_REMEMBERED_ADDRESSES; i += 1) await limiter.retryAfterSeconds(`addr-${i}`);
    const reads = store.reads;

    await limiter.retryAfterSeconds(`addr-${MAX_REMEMBERED_ADDRESSES}`);
    expect(store.reads).toBe(reads);
    await limiter.retryAfterSeconds('addr-0');
    expect(store.reads).toBe(reads + 1);
  });
});

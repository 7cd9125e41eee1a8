import { HitBatcher, SHARE_DIVISOR } from './hit-batcher';

const WINDOW = 60_000;
const T0 = 1_000_000;

/** Postgres's answer to a write, as the store hands it to learn(). */
const shared = (hits: number, windowMs = WINDOW, blockedMs = 0) => ({ hits, windowMs, blockedMs });

describe('HitBatcher', () => {
  it('asks for a write of the first hit of a key it does not know', () => {
    const b = new HitBatcher();
    expect(b.hit('k', WINDOW, 120, T0)).toEqual({ kind: 'write', hits: 1 });
  });

  it('counts hits in memory while they stay within a tenth of what the shared total leaves, then writes them with the next hit', () => {
    const b = new HitBatcher();
    b.learn('k', WINDOW, 120, WINDOW, shared(10), T0);
    // (120 − 10) / 10 = 11 hits may stay pending.
    for (let i = 1; i <= 11; i += 1) {
      expect(b.hit('k', WINDOW, 120, T0 + i)).toEqual({
        kind: 'answered',
        answer: { hits: 10 + i, windowMs: WINDOW - i, blockedMs: 0 },
      });
    }
    expect(b.hit('k', WINDOW, 120, T0 + 12)).toEqual({ kind: 'write', hits: 12 });
    expect(b.takePending()).toEqual([]);
  });

  it('writes every hit of a key whose limit is smaller than the share divisor', () => {
    const b = new HitBatcher();
    b.learn('k', WINDOW, SHARE_DIVISOR - 1, WINDOW, shared(1), T0);
    expect(b.hit('k', WINDOW, SHARE_DIVISOR - 1, T0 + 1)).toEqual({ kind: 'write', hits: 1 });
  });

  it('writes every hit once the shared total is near the limit, so that one replica refuses exactly the hit over it', () => {
    const b = new HitBatcher();
    b.learn('k', WINDOW, 120, WINDOW, shared(111), T0);
    expect(b.hit('k', WINDOW, 120, T0 + 1)).toEqual({ kind: 'write', hits: 1 });
  });

  it('answers a key it knows is blocked without a write, until the block ends', () => {
    const b = new HitBatcher();
    b.learn('k', WINDOW, 3, WINDOW, shared(4, WINDOW, WINDOW), T0);
    expect(b.hit('k', WINDOW, 3, T0 + 100)).toEqual({
      kind: 'answered',
      answer: { hits: 4, windowMs: WINDOW - 100, blockedMs: WINDOW - 100 },
    });
    expect(b.hit('k', WINDOW, 3, T0 + WINDOW)).toEqual({ kind: 'write', hits: 1 });
  });

  it('hands the pending hits of every key to one batched write, each once', () => {
    const b = new HitBatcher();
    b.learn('a', WINDOW, 1000, WINDOW, shared(1), T0);
    b.learn('b', WINDOW, 1000, 5_000, shared(1), T0);
    b.hit('a', WINDOW, 1000, T0 + 1);
    b.hit('a', WINDOW, 1000, T0 + 2);
    b.hit('b', WINDOW, 1000, T0 + 3);
    expect(b.takePending()).toEqual([
      { key: 'a', hits: 2, windowMs: WINDOW, limit: 1000, blockMs: WINDOW },
      { key: 'b', hits: 1, windowMs: WINDOW, limit: 1000, blockMs: 5_000 },
    ]);
    expect(b.takePending()).toEqual([]);
  });

  it("takes the larger total when the answers of two writes in one window arrive out of order, and another window's answer as it is", () => {
    const b = new HitBatcher();
    b.learn('k', WINDOW, 1000, WINDOW, shared(50), T0);
    b.learn('k', WINDOW, 1000, WINDOW, shared(40, WINDOW - 10), T0 + 10);
    expect(b.hit('k', WINDOW, 1000, T0 + 20)).toMatchObject({ answer: { hits: 51 } });
    b.learn('k', WINDOW, 1000, WINDOW, shared(2), T0 + WINDOW + 5);
    expect(b.hit('k', WINDOW, 1000, T0 + WINDOW + 6)).toMatchObject({ answer: { hits: 4 } });
  });

  it('starts a key again when its window is over, dropping hits pending for the ended window', () => {
    const b = new HitBatcher();
    b.learn('k', WINDOW, 1000, WINDOW, shared(1), T0);
    b.hit('k', WINDOW, 1000, T0 + 1);
    expect(b.hit('k', WINDOW, 1000, T0 + WINDOW)).toEqual({ kind: 'write', hits: 1 });
    expect(b.takePending()).toEqual([]);
  });

  it('forgets keys whose window is over and that have nothing pending', () => {
    const b = new HitBatcher();
    b.learn('old', WINDOW, 1000, WINDOW, shared(1), T0);
    b.learn('new', WINDOW, 1000, WINDOW, shared(1), T0 + WINDOW);
    b.sweep(T0 + WINDOW);
    expect(b.size).toBe(1);
  });
});

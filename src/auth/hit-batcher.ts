/**
 * The counting rule of the per-caller rate limit between two writes to Postgres (ADR 31); no
 * I/O here. Each key keeps what this replica last read of the shared counter (total hits in the
 * window, when the window ends, until when the key is blocked) and the hits it admitted since,
 * not yet written ("pending").
 *
 * A hit is admitted without a query only while the key is known and far from its limit: the
 * pending hits may reach 1/`SHARE_DIVISOR` of what the shared total leaves. Otherwise the hit goes
 * to Postgres at once, with the pending ones, and Postgres decides. So with one replica every
 * 429 is exact; with N replicas each one hides at most ⌊limit / SHARE_DIVISOR⌋ hits from the
 * others, and a key admits at most limit + (N − 1) · ⌊limit / SHARE_DIVISOR⌋ hits per window.
 */
export const SHARE_DIVISOR = 10;

/** What a replica knows of one key's shared counter, and its hits not written yet. */
interface KeyState {
  /** Hits in the window as Postgres last answered (every replica's written hits). */
  shared: number;
  /** Epoch ms when the window ends. */
  windowEndsAt: number;
  /** Epoch ms until when the key is blocked; 0 when it is not. */
  blockedUntil: number;
  /** Hits admitted here since the last write, not in `shared` yet. */
  pending: number;
  limit: number;
  windowMs: number;
  blockMs: number;
}

/** The answer to one hit, as the throttler needs it; times in ms. */
export interface HitAnswer {
  hits: number;
  windowMs: number;
  blockedMs: number;
}

/** A hit decided here, or the number of hits (this one and the pending ones) to write now. */
export type HitDecision = { kind: 'answered'; answer: HitAnswer } | { kind: 'write'; hits: number };

/** One key's hits to add to Postgres; its limit, window and block in ms, as `hit` was given them. */
export interface PendingHits {
  key: string;
  hits: number;
  windowMs: number;
  limit: number;
  blockMs: number;
}

/** Postgres's answer for one key after a write: its total and remaining times in ms. */
export interface SharedCount {
  hits: number;
  windowMs: number;
  blockedMs: number;
}

/** Per-key counts of one replica between writes (see the file's comment for the rule and bound). */
export class HitBatcher {
  private readonly keys = new Map<string, KeyState>();

  /** Counts a hit of `key` here when that is safe (see above), else asks for a write of `hits`. */
  hit(key: string, windowMs: number, limit: number, now: number): HitDecision {
    const s = this.keys.get(key);
    if (!s || now >= s.windowEndsAt || s.limit !== limit || s.windowMs !== windowMs) {
      // Unknown, or its window is over (hits pending for an ended window count no more).
      this.keys.delete(key);
      return { kind: 'write', hits: 1 };
    }
    if (s.blockedUntil > now) {
      return {
        kind: 'answered',
        answer: { hits: s.shared + s.pending, windowMs: s.windowEndsAt - now, blockedMs: s.blockedUntil - now },
      };
    }
    if (s.pending + 1 <= Math.floor((limit - s.shared) / SHARE_DIVISOR)) {
      s.pending += 1;
      return { kind: 'answered', answer: { hits: s.shared + s.pending, windowMs: s.windowEndsAt - now, blockedMs: 0 } };
    }
    const hits = s.pending + 1;
    s.pending = 0;
    return { kind: 'write', hits };
  }

  /** Takes every key's pending hits for one batched write (they are no longer pending here). */
  takePending(): PendingHits[] {
    const out: PendingHits[] = [];
    for (const [key, s] of this.keys) {
      if (s.pending === 0) continue;
      out.push({ key, hits: s.pending, windowMs: s.windowMs, limit: s.limit, blockMs: s.blockMs });
      s.pending = 0;
    }
    return out;
  }

  /**
   * Records Postgres's answer for `key` after a write made at `now`. Answers of concurrent
   * writes may arrive out of order: within one window the larger total wins.
   */
  learn(key: string, windowMs: number, limit: number, blockMs: number, count: SharedCount, now: number): void {
    const windowEndsAt = now + count.windowMs;
    const blockedUntil = count.blockedMs > 0 ? now + count.blockedMs : 0;
    const s = this.keys.get(key);
    // Same window when the ends are within a second of each other (the answers' rounding).
    if (s && Math.abs(s.windowEndsAt - windowEndsAt) < 1000) {
      s.shared = Math.max(s.shared, count.hits);
      s.blockedUntil = Math.max(s.blockedUntil, blockedUntil);
      return;
    }
    this.keys.set(key, {
      shared: count.hits,
      windowEndsAt,
      blockedUntil,
      pending: s?.pending ?? 0,
      limit,
      windowMs,
      blockMs,
    });
  }

  /** Forgets keys whose window and block are over and that have nothing pending. */
  sweep(now: number): void {
    for (const [key, s] of this.keys) {
      if (s.pending === 0 && now >= s.windowEndsAt && now >= s.blockedUntil) this.keys.delete(key);
    }
  }

  /** How many keys are held (for tests and metrics). */
  get size(): number {
    return this.keys.size;
  }
}

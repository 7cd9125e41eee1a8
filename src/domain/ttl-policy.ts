import type { PocTier } from './poc-tier';

const DAY_MS = 24 * 3600 * 1000;

/** How long a tier's environment lives by default and at most, counted from its creation. */
export const TTL_POLICY: Record<PocTier, { defaultDays: number; maxDays: number }> = {
  standard: { defaultDays: 14, maxDays: 30 },
  professional: { defaultDays: 30, maxDays: 60 },
  enterprise: { defaultDays: 30, maxDays: 90 },
};

/** Whether an environment may live until `expiresAt`; deterministic, so workflows use it too. */
export type ExpiryCheck = { ok: true } | { ok: false; reason: string };

/** Checks a requested expiry against now, the current expiry (when extending) and the tier's maximum. */
export function checkExpiry(opts: {
  tier: PocTier;
  createdAt: number;
  now: number;
  requested: number;
  current?: number;
}): ExpiryCheck {
  const { tier, createdAt, now, requested, current } = opts;
  if (!Number.isFinite(requested)) return { ok: false, reason: 'must be an ISO-8601 instant' };
  if (requested <= now) return { ok: false, reason: 'must be in the future' };
  if (current !== undefined && requested <= current) {
    return { ok: false, reason: `must be later than the current expiry ${new Date(current).toISOString()}` };
  }
  const latest = createdAt + TTL_POLICY[tier].maxDays * DAY_MS;
  if (requested > latest) {
    return {
      ok: false,
      reason: `must be at most ${TTL_POLICY[tier].maxDays} days after creation (${new Date(latest).toISOString()}) for the ${tier} tier`,
    };
  }
  return { ok: true };
}

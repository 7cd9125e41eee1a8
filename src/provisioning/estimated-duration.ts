import type { PocTier } from '../domain/poc-tier';

// Typical wall time of a GKE + Cloud SQL apply per tier, until observed durations replace it.
const TYPICAL_MINUTES: Record<PocTier, number> = { standard: 15, professional: 20, enterprise: 30 };

/** Typical seconds to a ready environment of a tier, before any has been observed. */
export function typicalSeconds(tier: PocTier): number {
  return TYPICAL_MINUTES[tier] * 60;
}

/** Seconds as an ISO-8601 duration: PT15M, PT1M30S, PT2S. */
export function isoDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  const parts = `${h ? `${h}H` : ''}${m ? `${m}M` : ''}${rest || (!h && !m) ? `${rest}S` : ''}`;
  return `PT${parts}`;
}

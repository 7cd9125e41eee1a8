import type { PocTier } from '../domain/poc-tier';

// Typical wall time of a GKE + Cloud SQL apply per tier, until observed durations replace it.
const TYPICAL_MINUTES: Record<PocTier, number> = { standard: 15, professional: 20, enterprise: 30 };

/** Estimated time to a ready environment, as an ISO-8601 duration (e.g. PT15M). */
export function estimatedDuration(tier: PocTier): string {
  return `PT${TYPICAL_MINUTES[tier]}M`;
}

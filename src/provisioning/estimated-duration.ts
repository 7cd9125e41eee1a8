import type { PocTier } from '../domain/poc-tier';

// Typical wall time of a GKE + Cloud SQL apply per tier, until observed durations replace it.
const TYPICAL_MINUTES: Record<PocTier, number> = { standard: 15, professional: 20, enterprise: 30 };

/** Typical seconds to a ready environment of a tier, before any has been observed. */
export function typicalSeconds(tier: PocTier): number {
  return TYPICAL_MINUTES[tier] * 60;
}

const NS_PER_SECOND = 1_000_000_000n;

/**
 * Seconds as Go's `time.Duration.String()` writes them, the text the seed's callers parse with
 * `time.ParseDuration`: "30m0s", "1h0m0s", "45s", "1m30.5s", "0s", and below one second "1.5ms",
 * "2µs", "7ns". Rounded to whole nanoseconds, as a Duration holds them.
 */
export function goDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) throw new RangeError(`not a duration: ${seconds}`);
  const total = BigInt(Math.round(seconds * 1e9));
  const negative = total < 0n;
  const ns = negative ? -total : total;
  return `${negative ? '-' : ''}${ns < NS_PER_SECOND ? subSecond(ns) : hoursMinutesSeconds(ns)}`;
}

function subSecond(ns: bigint): string {
  if (ns === 0n) return '0s';
  if (ns < 1_000n) return `${ns}ns`;
  if (ns < 1_000_000n) return `${decimal(ns, 3)}µs`;
  return `${decimal(ns, 6)}ms`;
}

function hoursMinutesSeconds(ns: bigint): string {
  const wholeSeconds = ns / NS_PER_SECOND;
  const secondsText = `${decimal((wholeSeconds % 60n) * NS_PER_SECOND + (ns % NS_PER_SECOND), 9)}s`;
  const minutes = wholeSeconds / 60n;
  if (minutes === 0n) return secondsText;
  const hours = minutes / 60n;
  return `${hours > 0n ? `${hours}h` : ''}${minutes % 60n}m${secondsText}`;
}

/** `value / 10^digits` in decimal, without trailing zeros in the fraction (Go's fmtFrac). */
function decimal(value: bigint, digits: number): string {
  const scale = 10n ** BigInt(digits);
  const fraction = (value % scale).toString().padStart(digits, '0').replace(/0+$/, '');
  return `${value / scale}${fraction ? `.${fraction}` : ''}`;
}

import type { PocTier } from './poc-tier';

/** What tofu found changed outside it in one resource: names only, never values (they may be secrets). */
export interface DriftedResource {
  /** The resource's address in the stack (e.g. `module.poc.localcloud_cluster.gke_cluster`). */
  address: string;
  /** `update`: changed in place outside tofu; `delete`: gone from the cloud. */
  action: 'update' | 'delete';
  /** Top-level attributes whose value differs from the state (empty for a delete), sorted. */
  attributes: string[];
}

/** An environment's drift: when it was first seen and what differs now. */
export interface DriftReport {
  /** ISO-8601 instant of the check that first saw this drift (kept while the same resources stay drifted). */
  detected_at: string;
  resources: DriftedResource[];
}

/** What one drift check found: nothing, or the drifted resources (sorted by address). */
export type DriftCheckResult = { drifted: false } | { drifted: true; resources: DriftedResource[] };

/** What an environment does about drift: tell only, or also apply its saved configuration again. */
export const DRIFT_POLICIES = ['report', 'repair'] as const;
export type DriftPolicy = (typeof DRIFT_POLICIES)[number];

/** Drift checks of a run, as configuration gave them when it started. */
export interface DriftCheckSettings {
  /** Seconds between checks per tier; 0 turns checks off for that tier. */
  intervalSeconds: Record<PocTier, number>;
  policy: DriftPolicy;
}

/** Each wait is the interval times a factor drawn in [1 - DRIFT_JITTER, 1 + DRIFT_JITTER). */
export const DRIFT_JITTER = 0.2;

/**
 * Milliseconds until the next drift check of an environment of `tier`, or null when its tier is
 * not checked. `random` is a number in [0, 1) (the workflow's deterministic Math.random): the
 * interval is spread by ±DRIFT_JITTER so that environments started together do not all run
 * tofu at the same moment.
 */
export function nextDriftCheckDelayMs(settings: DriftCheckSettings, tier: PocTier, random: number): number | null {
  const seconds = settings.intervalSeconds[tier] ?? 0;
  if (!(seconds > 0)) return null;
  const factor = 1 - DRIFT_JITTER + 2 * DRIFT_JITTER * Math.min(Math.max(random, 0), 1);
  return Math.max(1000, Math.round(seconds * 1000 * factor));
}

/** Whether two drift findings name the same resources, actions and attributes (the same drift). */
export function sameDrift(a: readonly DriftedResource[], b: readonly DriftedResource[]): boolean {
  return driftKey(a) === driftKey(b);
}

function driftKey(resources: readonly DriftedResource[]): string {
  return JSON.stringify(
    [...resources]
      .sort((x, y) => x.address.localeCompare(y.address))
      .map((r) => [r.address, r.action, [...r.attributes].sort()]),
  );
}

/** One line for the job's history: which resources drifted and how (names only). */
export function describeDrift(resources: readonly DriftedResource[]): string {
  return resources
    .map((r) =>
      r.action === 'delete' ? `${r.address} deleted` : `${r.address} changed (${r.attributes.join(', ') || '?'})`,
    )
    .join('; ');
}

import type { Priority } from './poc-tier';

/**
 * Temporal priority keys (1 runs first; the server's default range is 1..5, default 3). A
 * workflow's activities inherit its key, so a critical request's tofu steps overtake queued
 * low-priority ones when workers are saturated.
 */
export const PRIORITY_KEY: Record<Priority, number> = { critical: 1, high: 2, standard: 3, low: 4 };

import type { ProgressUpdate } from '../src/domain/progress-update';

/** The tofu steps whose durations are measured. */
export type TofuStep = 'init' | 'plan' | 'apply' | 'destroy' | 'drift_check';

/** One tofu step that ended, successfully or not. */
export interface StepObservation {
  step: TofuStep;
  tier: string;
  seconds: number;
  outcome: 'success' | 'failure';
  /** Temporal's attempt number of the activity: above 1 it is a retry. */
  attempt: number;
}

/**
 * What the activities report about the work they do. The worker process records it in
 * Prometheus metrics; tests and tools that do not care pass {@link NO_ACTIVITY_METRICS}.
 */
export interface ActivityMetrics {
  stepFinished(o: StepObservation): void;
  webhookFailed(event: string): void;
  /** A progress write was applied to the read model (so each job's terminal write counts once). */
  progressRecorded(update: ProgressUpdate): Promise<void>;
}

/** Records nothing. */
export const NO_ACTIVITY_METRICS: ActivityMetrics = {
  stepFinished: () => undefined,
  webhookFailed: () => undefined,
  progressRecorded: () => Promise.resolve(),
};

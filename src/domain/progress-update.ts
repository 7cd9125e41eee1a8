import type { DriftReport } from './drift';
import type { JobStatus } from './job-status';

/** Resources to add, change and destroy, as a saved plan reports them. */
export interface PlanSummary {
  add: number;
  change: number;
  destroy: number;
}

/** Error recorded on a job that failed or was cancelled. */
export interface JobError {
  message: string;
  code: string;
  details: Record<string, unknown>;
}

interface ProgressBase {
  jobId: string;
  /** Step sequence number: strictly increasing per job; an older write never overwrites a newer one. */
  seq: number;
  status: JobStatus;
  step: string;
  message: string;
  completedSteps: number;
  totalSteps: number;
}

/** One write to the read model, made by the workflow through an activity. */
export type ProgressUpdate = ProgressBase &
  (
    | { kind: 'step' }
    | { kind: 'workspace'; workspace: string }
    | { kind: 'planned'; planSummary: PlanSummary }
    | {
        kind: 'provisioned';
        provisionedResources: Record<string, unknown>;
        serviceEndpoints: Record<string, string>;
      }
    | { kind: 'failed'; error: JobError }
    | { kind: 'expiry'; expiresAt: string }
    /**
     * The environment's drift as a check (or its repair) left it: a report, or null once the
     * cloud matches the configuration again (`cleared` says how: it went back by itself, or the
     * saved configuration was applied again). The status does not change.
     */
    | { kind: 'drift'; drift: DriftReport | null; cleared?: 'resolved' | 'repaired' }
  );

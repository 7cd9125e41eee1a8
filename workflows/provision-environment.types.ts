import type { DriftCheckSettings } from '../src/domain/drift';
import type { ProvisionRequest } from '../src/domain/provision-request';

/** Settings the gateway reads from configuration and hands to the workflow (which cannot read env). */
export interface WorkflowSettings {
  /** Start-to-close timeout of one tofu apply or destroy, in seconds. */
  tofuTimeoutSeconds: number;
  /** Attempts of a failing activity before the workflow gives up on it. */
  retryAttempts: number;
  /** A tofu activity whose worker has not heartbeated for this long is retried elsewhere. */
  heartbeatTimeoutSeconds?: number;
  /** Seconds before expiry at which an `environment.expiring_soon` notification goes out. */
  reminderLeadSeconds?: number[];
  /** Wait after the first failed destroy before the next attempt, in seconds (doubles each time; default 1 h). */
  destroyRetryInitialSeconds?: number;
  /** Longest wait between destroy attempts, in seconds (default 24 h). */
  destroyRetryMaxSeconds?: number;
  /** Drift checks while the environment is live (DRIFT_CHECK_INTERVALS, DRIFT_POLICY); none when absent. */
  driftCheck?: DriftCheckSettings;
}

export interface ProvisionWorkflowInput {
  jobId: string;
  request: ProvisionRequest;
  settings: WorkflowSettings;
}

/** How a provisioning run ended. */
export type ProvisionOutcome =
  | { outcome: 'destroyed'; jobId: string }
  | { outcome: 'failed'; jobId: string; code: string; message: string }
  | { outcome: 'cancelled'; jobId: string };

export const PROVISION_WORKFLOW = 'provisionEnvironment';

/** The task queue of the tofu activities of runs on `taskQueue`. */
export function tofuTaskQueue(taskQueue: string): string {
  return `${taskQueue}-tofu`;
}

/** The task queue of the drift checks of runs on `taskQueue` (DRIFT_CHECK_CONCURRENCY per worker, ADR 28). */
export function driftTaskQueue(taskQueue: string): string {
  return `${taskQueue}-drift`;
}

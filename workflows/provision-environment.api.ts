import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { JobStatus } from '../src/domain/job-state-machine';

/** Moves the expiry later (validated against the tier's maximum lifetime). */
export interface ExtendRequest {
  expires_at: string;
}
export interface ExtendResult {
  expires_at: string;
}

/** Destroys the environment now instead of at expiry. */
export interface DestroyNowRequest {
  reason?: string;
}
export interface DestroyNowResult {
  accepted: true;
}

/** Where a run is, in short (the status says it exactly). */
export type RunPhase = 'provisioning' | 'ready' | 'destroying' | 'destroy_failed' | 'destroy_incomplete' | 'finished';

export interface RunState {
  phase: RunPhase;
  /** The status the run last reported: what a caller may do depends on it (the job state machine). */
  status: JobStatus;
  expires_at: string;
}

export const extendUpdate = defineUpdate<ExtendResult, [ExtendRequest]>('extend');
export const destroyNowUpdate = defineUpdate<DestroyNowResult, [DestroyNowRequest]>('destroyNow');
/** Fire-and-forget twin of the destroyNow update, for callers that cannot wait. */
export const destroyNowSignal = defineSignal<[DestroyNowRequest]>('destroyNowSignal');
export const runStateQuery = defineQuery<RunState>('runState');

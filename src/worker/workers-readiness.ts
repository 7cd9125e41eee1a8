import type { State } from '@temporalio/worker';
import type { WorkerReadiness } from './metrics-server';

/** What readiness needs of a Temporal worker: its state and its task queue. */
export interface ReadinessSource {
  getState(): State;
  readonly options: { readonly taskQueue: string };
}

/**
 * A worker process is ready while every one of its Temporal workers runs (polls its task
 * queue): not before they are created and started, and no longer once a drain has begun
 * (SIGTERM: STOPPING, DRAINING), so a rollout waits for the new pod to poll before it stops
 * an old one and a draining pod is reported as such.
 */
export function workersReadiness(workers: readonly ReadinessSource[]): WorkerReadiness {
  if (workers.length === 0) return { ready: false, reason: 'Temporal workers not started' };
  const notRunning = workers.filter((w) => w.getState() !== 'RUNNING');
  if (notRunning.length === 0) return { ready: true };
  return {
    ready: false,
    reason: notRunning.map((w) => `${w.options.taskQueue}: ${w.getState().toLowerCase()}`).join(', '),
  };
}

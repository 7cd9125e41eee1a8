import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { RECONCILE_WORKFLOW, type ReconcileInput } from '../../workflows/reconcile-environments.workflow';

/** The one reconciliation Schedule of an engine (its task queue names it). */
export function reconciliationScheduleId(taskQueue: string): string {
  return `poc-reconciliation-${taskQueue}`;
}

export interface ReconciliationScheduleOptions {
  taskQueue: string;
  intervalSeconds: number;
  graceSeconds: number;
  personalDataRetentionDays: number;
}

/**
 * Creates the reconciliation Schedule, or brings an existing one in line with configuration.
 * Every worker calls it at start: the Schedule id makes that idempotent, and overlapping
 * sweeps are skipped, so many workers still give one sweep per interval.
 */
export async function ensureReconciliationSchedule(client: Client, opts: ReconciliationScheduleOptions): Promise<void> {
  const args: [ReconcileInput] = [
    { graceSeconds: opts.graceSeconds, personalDataRetentionDays: opts.personalDataRetentionDays },
  ];
  const spec = { intervals: [{ every: `${opts.intervalSeconds} seconds` as const }] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: RECONCILE_WORKFLOW,
    taskQueue: opts.taskQueue,
    args,
    workflowExecutionTimeout: '1 hour',
    staticSummary: 'Reconciliation sweep of POC environments',
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' };
  try {
    await client.schedule.create({ scheduleId: reconciliationScheduleId(opts.taskQueue), spec, action, policies });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule
      .getHandle(reconciliationScheduleId(opts.taskQueue))
      .update((prev) => ({ ...prev, spec, action, policies: { ...prev.policies, ...policies } }));
  }
}

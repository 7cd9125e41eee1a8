import type { Client } from '@temporalio/client';

/** Quick activities' retries and longest time from scheduled to closed, over some runs. */
export interface AttemptReport {
  activities: number;
  /** Activities that needed more than one attempt (a lost or failed attempt). */
  retried: number;
  /** The longest any quick (non-tofu) activity took from scheduled to closed, in seconds. */
  longestQuickSeconds: number;
}

type Ts = { seconds?: { toString(): string } | null; nanos?: number | null } | null | undefined;
const seconds = (t: Ts) => (t ? Number(t.seconds?.toString() ?? 0) + (t.nanos ?? 0) / 1e9 : 0);

interface HistoryEvent {
  eventId?: { toString(): string } | null;
  eventTime?: Ts;
  activityTaskScheduledEventAttributes?: { activityType?: { name?: string | null } | null } | null;
  activityTaskStartedEventAttributes?: { attempt?: number | null } | null;
  activityTaskCompletedEventAttributes?: { scheduledEventId?: { toString(): string } | null } | null;
  activityTaskFailedEventAttributes?: { scheduledEventId?: { toString(): string } | null } | null;
  activityTaskTimedOutEventAttributes?: { scheduledEventId?: { toString(): string } | null } | null;
}

/** Reads the runs' histories: which activity attempts were lost and how long that cost. */
export async function activityAttempts(client: Client, workflowIds: string[]): Promise<AttemptReport> {
  const report: AttemptReport = { activities: 0, retried: 0, longestQuickSeconds: 0 };
  for (const id of workflowIds) {
    const { events } = await client.workflow.getHandle(id).fetchHistory();
    const scheduled = new Map<string, { name: string; at: number }>();
    for (const e of (events ?? []) as HistoryEvent[]) {
      if (e.activityTaskScheduledEventAttributes) {
        scheduled.set(String(e.eventId), {
          name: e.activityTaskScheduledEventAttributes.activityType?.name ?? '',
          at: seconds(e.eventTime),
        });
        report.activities += 1;
      }
      if ((e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1) report.retried += 1;
      const closed =
        e.activityTaskCompletedEventAttributes ??
        e.activityTaskFailedEventAttributes ??
        e.activityTaskTimedOutEventAttributes;
      const start = closed ? scheduled.get(String(closed.scheduledEventId)) : undefined;
      if (start && !start.name.startsWith('tofu')) {
        report.longestQuickSeconds = Math.max(report.longestQuickSeconds, seconds(e.eventTime) - start.at);
      }
    }
  }
  report.longestQuickSeconds = Math.round(report.longestQuickSeconds * 10) / 10;
  return report;
}

import { ActivityFailure, patched, proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { Activities } from '../activities/create-activities';
import type { DiscrepancyResolution, ReconciliationReport } from '../src/domain/reconciliation';
import { PATCHES } from './patches';

export const RECONCILE_WORKFLOW = 'reconcileEnvironments';

export interface ReconcileInput {
  /** Records younger than this are left alone: they may be between two steps. */
  graceSeconds: number;
  /**
   * Personal fields of jobs whose environment has been gone this many days are purged
   * (PERSONAL_DATA_RETENTION_DAYS); absent in the input of Schedules made before ADR 20.
   */
  personalDataRetentionDays?: number;
}

/**
 * One reconciliation sweep (run by a Temporal Schedule): finds discrepancies, where the read
 * model, Temporal, workspaces, tofu state and the cloud disagree, repairs what is safe to repair, reports the rest, and
 * records the sweep in the read model.
 */
export async function reconcileEnvironments(input: ReconcileInput): Promise<ReconciliationReport> {
  const acts = proxyActivities<Activities>({
    startToCloseTimeout: '5 minutes',
    retry: { initialInterval: '2s', backoffCoefficient: 2, maximumAttempts: 5 },
  });
  const startedAt = new Date(Date.now()).toISOString();
  setCurrentDetails('Looking for discrepancies');
  // A sweep that began under the activities' former names keeps them (both are registered).
  const renamed = patched(PATCHES.sweepDiscrepancies);
  const find = renamed ? acts.findDiscrepancies : acts.findDrift;
  const repair = renamed ? acts.repairDiscrepancy : acts.repairDrift;
  const findings = await find(input);
  const resolutions: DiscrepancyResolution[] = [];
  for (const finding of findings) {
    try {
      resolutions.push(await repair(finding));
    } catch (err) {
      // One failed repair must not hide the other findings: it is reported with the rest.
      const cause = err instanceof ActivityFailure && err.cause ? err.cause.message : String(err);
      resolutions.push({ finding, outcome: 'reported', reason: `repair failed: ${cause}` });
    }
  }
  const personalDataPurged = await purgePersonalData(acts, input);
  const report: ReconciliationReport = {
    startedAt,
    finishedAt: new Date(Date.now()).toISOString(),
    resolutions,
    ...(personalDataPurged === undefined ? {} : { personalDataPurged }),
  };
  const repaired = resolutions.filter((r) => r.outcome === 'repaired').length;
  const purged = personalDataPurged ? `; personal data of ${personalDataPurged} jobs purged` : '';
  setCurrentDetails(
    `${findings.length} findings: ${repaired} repaired, ${findings.length - repaired} reported${purged}`,
  );
  await acts.recordReconciliation(report);
  return report;
}

/**
 * Purges the personal fields of jobs gone for the retention (ADR 20). A purge that fails does
 * not fail the sweep: the next sweep purges the same jobs. Undefined when this sweep did not purge.
 */
async function purgePersonalData(
  acts: { purgePersonalData(input: { retentionDays: number }): Promise<number> },
  input: ReconcileInput,
): Promise<number | undefined> {
  if (input.personalDataRetentionDays === undefined || !patched(PATCHES.purgePersonalData)) return undefined;
  try {
    return await acts.purgePersonalData({ retentionDays: input.personalDataRetentionDays });
  } catch (err) {
    if (err instanceof ActivityFailure) return undefined;
    throw err;
  }
}

import { ActivityFailure, proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { Activities } from '../activities/create-activities';
import type { DriftResolution, ReconciliationReport } from '../src/domain/reconciliation';

export const RECONCILE_WORKFLOW = 'reconcileEnvironments';

export interface ReconcileInput {
  /** Records younger than this are left alone: they may be between two steps. */
  graceSeconds: number;
}

/**
 * One reconciliation sweep (run by a Temporal Schedule): finds where the read model, Temporal,
 * workspaces and tofu state disagree, repairs what is safe to repair, reports the rest, and
 * records the sweep in the read model.
 */
export async function reconcileEnvironments(input: ReconcileInput): Promise<ReconciliationReport> {
  const acts = proxyActivities<Activities>({
    startToCloseTimeout: '5 minutes',
    retry: { initialInterval: '2s', backoffCoefficient: 2, maximumAttempts: 5 },
  });
  const startedAt = new Date(Date.now()).toISOString();
  setCurrentDetails('Looking for drift');
  const findings = await acts.findDrift(input);
  const resolutions: DriftResolution[] = [];
  for (const finding of findings) {
    try {
      resolutions.push(await acts.repairDrift(finding));
    } catch (err) {
      // One failed repair must not hide the other findings: it is reported with the rest.
      const cause = err instanceof ActivityFailure && err.cause ? err.cause.message : String(err);
      resolutions.push({ finding, outcome: 'reported', reason: `repair failed: ${cause}` });
    }
  }
  const report: ReconciliationReport = { startedAt, finishedAt: new Date(Date.now()).toISOString(), resolutions };
  const repaired = resolutions.filter((r) => r.outcome === 'repaired').length;
  setCurrentDetails(`${findings.length} findings: ${repaired} repaired, ${findings.length - repaired} reported`);
  await acts.recordReconciliation(report);
  return report;
}

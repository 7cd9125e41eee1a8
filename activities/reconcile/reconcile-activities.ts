import { Context } from '@temporalio/activity';
import { readdir } from 'node:fs/promises';
import { holdsUnsavedState } from '../tofu/unsaved-state';
import type { CloudInventory } from './cloud-inventory';
import type { ProvisionRequest } from '../../src/domain/provision-request';
import type {
  Discrepancy,
  DiscrepancyResolution,
  ReconciliationReport,
  SweptJob,
} from '../../src/domain/reconciliation';
import type { WorkflowDirectory } from '../../src/temporal/workflow-directory';
import { removeWorkspace, workspaceDir } from '../workspace/workspace-files';
import { findDiscrepancies, planRepair } from './find-discrepancies';

/** What the sweep's activities need. */
export interface ReconcileDeps {
  records: {
    liveJobs(): Promise<SweptJob[]>;
    requestOf(jobId: string): Promise<ProvisionRequest | null>;
    recordRun(report: ReconciliationReport): Promise<void>;
    /** Tenants whose latest job is destroyed and ended within `days`, with that job (ADR 27). */
    recentlyDestroyed(days: number): Promise<Array<{ jobId: string; tenantId: string; tenantSlug: string }>>;
    /** Purges personal fields of jobs gone for `retentionDays`; returns their ids. */
    purgePersonalData(retentionDays: number): Promise<string[]>;
  };
  state: {
    list(): Promise<Array<{ tenantId: string; resources: number | null }>>;
    remove(tenantId: string): Promise<void>;
  };
  workflows: WorkflowDirectory;
  workspaceRoot: string;
  /** Resources carrying the engine's labels, to find those no state tracks. */
  inventory?: CloudInventory;
}

/**
 * How long after a destroy the sweep searches the cloud for the tenant again (ADR 27): long
 * enough for a resource a provider re-created or an engineer made by hand to show, bounded so
 * the searches do not grow with every environment ever destroyed (older leftovers that carry
 * labels are still found by the labelled listing, as untracked_resources).
 */
export const RECENTLY_DESTROYED_DAYS = 7;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The reconciliation sweep's activities: look, repair one finding, record the sweep. */
export function createReconcileActivities(deps: ReconcileDeps) {
  const activities = {
    /**
     * Compares the read model with Temporal, this worker's workspaces, the tofu state and the
     * resources the cloud holds with the engine's labels, and searches the cloud again for the
     * tenants whose environment was destroyed in the last RECENTLY_DESTROYED_DAYS.
     */
    async findDiscrepancies(input: { graceSeconds: number }): Promise<Discrepancy[]> {
      // The cloud is listed before the jobs and states: a job that starts creating after the
      // listing is then live when compared, never mistaken for an owner-less resource.
      // An inventory that cannot be read (a missing roles/cloudasset.viewer, say) must not stop
      // the sweep's other checks: the cloud is then left out of this sweep, loudly.
      const cloud = deps.inventory
        ? await deps.inventory.labelledResources().catch((err: unknown) => {
            Context.current().log.warn('cloud inventory not read; untracked resources not looked for', {
              error: (err as Error).message,
            });
            return [];
          })
        : [];
      const jobs = await deps.records.liveJobs();
      const liveJobs = [];
      for (const j of jobs) liveJobs.push({ ...j, workflow: await deps.workflows.presence(j.workflowId, j.jobId) });
      const workspaces = await workspaceJobIds(deps.workspaceRoot);
      const destroyed = await searchDestroyed(deps, new Set(liveJobs.map((j) => j.tenantId.toLowerCase())));
      return findDiscrepancies({
        now: Date.now(),
        graceMs: input.graceSeconds * 1000,
        liveJobs,
        workspaces,
        unsavedStateWorkspaces: workspaces.filter((id) => holdsUnsavedState(workspaceDir(deps.workspaceRoot, id))),
        states: await deps.state.list(),
        cloud,
        destroyed,
      });
    },

    /** Repairs a finding when that is safe, or says why it is left for an engineer. Idempotent. */
    async repairDiscrepancy(finding: Discrepancy): Promise<DiscrepancyResolution> {
      const plan = planRepair(finding);
      const log = Context.current().log;
      const repaired = (action: string): DiscrepancyResolution => {
        log.info('reconciliation repaired a discrepancy', { kind: finding.kind, action });
        return { finding, outcome: 'repaired', action };
      };
      const reported = (reason: string): DiscrepancyResolution => {
        log.warn('reconciliation found a discrepancy it cannot repair', { kind: finding.kind, reason });
        return { finding, outcome: 'reported', reason };
      };
      switch (plan.repair) {
        case 'start_workflow': {
          const request = await deps.records.requestOf(plan.jobId);
          if (!request) return reported('the job row is gone');
          const started = await deps.workflows.startProvisioning(plan.jobId, request);
          return started === 'started'
            ? repaired('started the missing workflow')
            : reported('another run of the tenant is running; the job cannot start beside it');
        }
        case 'request_destroy':
          await deps.workflows.requestDestroy(plan.workflowId, 'reconciliation: past expiry');
          return repaired('asked the workflow to destroy the expired environment');
        case 'remove_workspace':
          // Checked again: tofu may have written unsaved state since the sweep looked.
          if (holdsUnsavedState(workspaceDir(deps.workspaceRoot, plan.jobId)))
            return reported('the workspace holds state tofu could not save (errored.tfstate)');
          await removeWorkspace(deps.workspaceRoot, plan.jobId);
          return repaired('removed the workspace');
        case 'remove_state':
          await deps.state.remove(plan.tenantId);
          return repaired('removed state that tracked no resources');
        case 'none':
          return reported(plan.reason);
      }
    },

    /** Purges the personal fields of jobs whose environment is gone for `retentionDays` (ADR 20). */
    async purgePersonalData(input: { retentionDays: number }): Promise<number> {
      const purged = await deps.records.purgePersonalData(input.retentionDays);
      if (purged.length > 0)
        Context.current().log.info('personal data purged', {
          jobs: purged.length,
          retention_days: input.retentionDays,
        });
      return purged.length;
    },

    async recordReconciliation(report: ReconciliationReport): Promise<void> {
      await deps.records.recordRun(report);
    },
  };
  return {
    ...activities,
    // The names before the sweep's words changed (drift → discrepancy): a sweep a worker of the
    // older version scheduled still finds its activities on this one.
    /** @deprecated findDiscrepancies under its former name, for sweeps scheduled before the rename. */
    findDrift: (input: { graceSeconds: number }) => activities.findDiscrepancies(input),
    /** @deprecated repairDiscrepancy under its former name, for sweeps scheduled before the rename. */
    repairDrift: (finding: Discrepancy) => activities.repairDiscrepancy(finding),
  };
}

/**
 * The per-tenant search of the proof of deletion, for each tenant destroyed recently with no
 * live job since. An inventory that cannot be searched leaves them out of this sweep, loudly.
 */
async function searchDestroyed(
  deps: ReconcileDeps,
  liveTenants: Set<string>,
): Promise<Array<{ jobId: string; tenantId: string; tenantSlug: string; resources: string[] }>> {
  const inventory = deps.inventory;
  if (!inventory) return [];
  const found = [];
  try {
    for (const d of await deps.records.recentlyDestroyed(RECENTLY_DESTROYED_DAYS)) {
      if (liveTenants.has(d.tenantId.toLowerCase())) continue;
      found.push({ ...d, resources: await inventory.tenantResources(d) });
    }
  } catch (err) {
    Context.current().log.warn('destroyed environments not searched in the cloud this sweep', {
      error: (err as Error).message,
    });
  }
  return found;
}

/** Job ids of the workspace folders under the root (other entries, like the CLI config, are not workspaces). */
async function workspaceJobIds(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  return entries.filter((e) => e.isDirectory() && UUID.test(e.name)).map((e) => e.name);
}

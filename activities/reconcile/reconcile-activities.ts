import { Context } from '@temporalio/activity';
import { readdir } from 'node:fs/promises';
import { holdsUnsavedState } from '../tofu/unsaved-state';
import type { CloudInventory } from './cloud-inventory';
import type { ProvisionRequest } from '../../src/domain/provision-request';
import type { DriftFinding, DriftResolution, ReconciliationReport, SweptJob } from '../../src/domain/reconciliation';
import type { WorkflowDirectory } from '../../src/temporal/workflow-directory';
import { removeWorkspace, workspaceDir } from '../workspace/workspace-files';
import { findDrift, planRepair } from './find-drift';

/** What the sweep's activities need. */
export interface ReconcileDeps {
  records: {
    liveJobs(): Promise<SweptJob[]>;
    requestOf(jobId: string): Promise<ProvisionRequest | null>;
    recordRun(report: ReconciliationReport): Promise<void>;
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The reconciliation sweep's activities: look, repair one finding, record the sweep. */
export function createReconcileActivities(deps: ReconcileDeps) {
  return {
    /**
     * Compares the read model with Temporal, this worker's workspaces, the tofu state and the
     * resources the cloud holds with the engine's labels.
     */
    async findDrift(input: { graceSeconds: number }): Promise<DriftFinding[]> {
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
      return findDrift({
        now: Date.now(),
        graceMs: input.graceSeconds * 1000,
        liveJobs,
        workspaces,
        unsavedStateWorkspaces: workspaces.filter((id) => holdsUnsavedState(workspaceDir(deps.workspaceRoot, id))),
        states: await deps.state.list(),
        cloud,
      });
    },

    /** Repairs a finding when that is safe, or says why it is left for an engineer. Idempotent. */
    async repairDrift(finding: DriftFinding): Promise<DriftResolution> {
      const plan = planRepair(finding);
      const log = Context.current().log;
      const repaired = (action: string): DriftResolution => {
        log.info('reconciliation repaired drift', { kind: finding.kind, action });
        return { finding, outcome: 'repaired', action };
      };
      const reported = (reason: string): DriftResolution => {
        log.warn('reconciliation found drift it cannot repair', { kind: finding.kind, reason });
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
}

/** Job ids of the workspace folders under the root (other entries, like the CLI config, are not workspaces). */
async function workspaceJobIds(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  return entries.filter((e) => e.isDirectory() && UUID.test(e.name)).map((e) => e.name);
}

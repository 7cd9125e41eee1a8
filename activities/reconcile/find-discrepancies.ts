import { TERMINAL_STATUSES } from '../../src/domain/job-status';
import type { Discrepancy, SweptJob, WorkflowPresence } from '../../src/domain/reconciliation';
import type { LabelledResource } from './cloud-inventory';

/** A snapshot of the engine's records and of the world, taken by the sweep. */
export interface DiscrepancySnapshot {
  now: number;
  /** Rows younger than this (ms) are skipped: a request may be between its row and its workflow. */
  graceMs: number;
  /** Jobs whose status is not terminal. */
  liveJobs: Array<SweptJob & { workflow: WorkflowPresence }>;
  /** Job ids of the workspace folders on this worker. */
  workspaces: string[];
  /** Those of them holding state tofu could not save (errored.tfstate). */
  unsavedStateWorkspaces?: string[];
  /** Tenants with tofu state, and how many resources each still tracks (null: cannot be opened here, Cloud KMS). */
  states: Array<{ tenantId: string; resources: number | null }>;
  /** Resources in the cloud carrying the engine's labels (none known when absent). */
  cloud?: LabelledResource[];
  /**
   * Tenants whose latest job was destroyed recently, each with what the per-tenant search (the
   * proof of deletion's) finds of it now (none looked at when absent).
   */
  destroyed?: Array<{ jobId: string; tenantId: string; tenantSlug: string; resources: string[] }>;
}

/** Compares records with the world; pure, so every rule is unit-tested. */
export function findDiscrepancies(s: DiscrepancySnapshot): Discrepancy[] {
  const findings: Discrepancy[] = [];
  const settled = (iso: string) => Date.parse(iso) <= s.now - s.graceMs;
  const live = s.liveJobs.filter((j) => !TERMINAL_STATUSES.includes(j.status));

  for (const j of live) {
    if (!settled(j.updatedAt)) continue;
    const base = { jobId: j.jobId, tenantSlug: j.tenantSlug, status: j.status };
    if (j.workflow === 'missing' && (j.status === 'queued' || j.status === 'pending')) {
      findings.push({ kind: 'job_without_workflow', ...base, workflow: 'missing' });
    } else if (j.workflow !== 'running') {
      findings.push({ kind: 'workflow_gone', ...base, workflow: j.workflow });
    } else if (j.status === 'completed' && settled(j.expiresAt)) {
      findings.push({
        kind: 'expired_not_destroyed',
        jobId: j.jobId,
        tenantSlug: j.tenantSlug,
        workflowId: j.workflowId,
        expiresAt: j.expiresAt,
      });
    }
  }

  const liveJobIds = new Set(live.map((j) => j.jobId));
  const unsaved = new Set(s.unsavedStateWorkspaces ?? []);
  for (const jobId of s.workspaces) {
    if (!liveJobIds.has(jobId))
      findings.push({ kind: 'orphan_workspace', jobId, ...(unsaved.has(jobId) ? { unsavedState: true } : {}) });
  }
  const liveTenants = new Set(live.map((j) => j.tenantId.toLowerCase()));
  for (const st of s.states) {
    if (!liveTenants.has(st.tenantId.toLowerCase()))
      findings.push({ kind: 'orphan_state', tenantId: st.tenantId, resources: st.resources });
  }
  // A destroyed environment of a tenant with no live job since must have left nothing: what the
  // proof of deletion's search finds now is named for the job that destroyed it.
  const named = new Set<string>();
  for (const d of s.destroyed ?? []) {
    const tenantId = d.tenantId.toLowerCase();
    if (liveTenants.has(tenantId) || d.resources.length === 0 || named.has(tenantId)) continue;
    named.add(tenantId);
    findings.push({
      kind: 'resources_after_destroy',
      jobId: d.jobId,
      tenantId,
      tenantSlug: d.tenantSlug,
      resources: [...d.resources].sort(),
    });
  }
  // A live job owns what it is creating (its state may lag behind its resources mid-apply);
  // any other tenant's labelled resources beyond what its state tracks have no owner.
  const byTenant = new Map<string, LabelledResource[]>();
  for (const r of s.cloud ?? []) byTenant.set(r.tenantId, [...(byTenant.get(r.tenantId) ?? []), r]);
  for (const [tenantId, resources] of byTenant) {
    if (liveTenants.has(tenantId) || named.has(tenantId)) continue;
    const state = s.states.find((st) => st.tenantId.toLowerCase() === tenantId);
    const tracked = state ? state.resources : 0;
    // A state the engine cannot open (Cloud KMS) may track them all: nothing to compare with.
    if (tracked !== null && resources.length > tracked)
      findings.push({
        kind: 'untracked_resources',
        tenantId,
        tenantSlug: resources[0].tenantSlug,
        resources: resources.map((r) => r.resource).sort(),
        tracked,
      });
  }
  return findings;
}

/** What the sweep may do about a finding by itself; anything else is reported for an engineer. */
export type RepairPlan =
  | { repair: 'start_workflow'; jobId: string }
  | { repair: 'request_destroy'; workflowId: string }
  | { repair: 'remove_workspace'; jobId: string }
  | { repair: 'remove_state'; tenantId: string }
  | { repair: 'none'; reason: string };

/**
 * Decides whether a finding is safe to repair. Safe means: it cannot destroy anything that a
 * tenant may still use, and doing it twice changes nothing.
 */
export function planRepair(f: Discrepancy): RepairPlan {
  switch (f.kind) {
    case 'job_without_workflow':
      // The row holds the whole request: start the run the gateway could not (same workflow id,
      // so a run that did start after all is not doubled).
      return { repair: 'start_workflow', jobId: f.jobId };
    case 'expired_not_destroyed':
      return { repair: 'request_destroy', workflowId: f.workflowId };
    case 'orphan_workspace':
      // Workspaces are rebuilt from the request on demand (ADR 3): removing one loses nothing,
      // unless it holds state tofu could not save, the only record of what a run created.
      return f.unsavedState
        ? {
            repair: 'none',
            reason:
              'the workspace holds state tofu could not save (errored.tfstate): push it (tofu state push) or destroy what it lists, then remove the workspace',
          }
        : { repair: 'remove_workspace', jobId: f.jobId };
    case 'orphan_state':
      if (f.resources === null)
        return {
          repair: 'none',
          reason:
            'the state is encrypted with a key the engine cannot open here (Cloud KMS): list it with tofu state list, destroy what it tracks, then remove it',
        };
      return f.resources === 0
        ? { repair: 'remove_state', tenantId: f.tenantId }
        : { repair: 'none', reason: `state still tracks ${f.resources} resources with no live job to destroy them` };
    case 'untracked_resources':
      return {
        repair: 'none',
        reason: `${f.resources.length} resources carry the tenant's labels but its state tracks ${f.tracked}: nothing would destroy them`,
      };
    case 'resources_after_destroy':
      return {
        repair: 'none',
        reason: `${f.resources.length} resources of the tenant are in the cloud after its environment was destroyed (job ${f.jobId}): remove them`,
      };
    case 'workflow_gone':
      return {
        repair: 'none',
        reason: `status ${f.status} but the workflow is ${f.workflow}: the environment may exist with nothing to destroy it`,
      };
  }
}

import { TERMINAL_STATUSES } from '../../src/domain/job-status';
import type { DriftFinding, SweptJob, WorkflowPresence } from '../../src/domain/reconciliation';

/** A snapshot of the engine's records and of the world, taken by the sweep. */
export interface DriftSnapshot {
  now: number;
  /** Rows younger than this (ms) are skipped: a request may be between its row and its workflow. */
  graceMs: number;
  /** Jobs whose status is not terminal. */
  liveJobs: Array<SweptJob & { workflow: WorkflowPresence }>;
  /** Job ids of the workspace folders on this worker. */
  workspaces: string[];
  /** Tenants with tofu state, and how many resources each still tracks. */
  states: Array<{ tenantId: string; resources: number }>;
}

/** Compares records with the world; pure, so every rule is unit-tested. */
export function findDrift(s: DriftSnapshot): DriftFinding[] {
  const findings: DriftFinding[] = [];
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
  for (const jobId of s.workspaces) {
    if (!liveJobIds.has(jobId)) findings.push({ kind: 'orphan_workspace', jobId });
  }
  const liveTenants = new Set(live.map((j) => j.tenantId));
  for (const st of s.states) {
    if (!liveTenants.has(st.tenantId))
      findings.push({ kind: 'orphan_state', tenantId: st.tenantId, resources: st.resources });
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
export function planRepair(f: DriftFinding): RepairPlan {
  switch (f.kind) {
    case 'job_without_workflow':
      // The row holds the whole request: start the run the gateway could not (same workflow id,
      // so a run that did start after all is not doubled).
      return { repair: 'start_workflow', jobId: f.jobId };
    case 'expired_not_destroyed':
      return { repair: 'request_destroy', workflowId: f.workflowId };
    case 'orphan_workspace':
      // Workspaces are rebuilt from the request on demand (ADR 3): removing one loses nothing.
      return { repair: 'remove_workspace', jobId: f.jobId };
    case 'orphan_state':
      return f.resources === 0
        ? { repair: 'remove_state', tenantId: f.tenantId }
        : { repair: 'none', reason: `state still tracks ${f.resources} resources with no live job to destroy them` };
    case 'workflow_gone':
      return {
        repair: 'none',
        reason: `status ${f.status} but the workflow is ${f.workflow}: the environment may exist with nothing to destroy it`,
      };
  }
}

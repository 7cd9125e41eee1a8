import type { JobStatus } from './job-status';

/** What the reconciliation sweep knows of a job whose environment may exist. */
export interface SweptJob {
  jobId: string;
  tenantId: string;
  tenantSlug: string;
  status: JobStatus;
  workflowId: string;
  expiresAt: string;
  /** Last write to the row: younger rows may be mid-start and are left alone. */
  updatedAt: string;
}

/** What Temporal says of a job's workflow. */
export type WorkflowPresence = 'running' | 'closed' | 'missing';

/**
 * A discrepancy: something the engine's records and the world (Temporal, workspaces, tofu state,
 * the cloud) disagree on. Each kind says what the sweep found; whether it can be repaired is
 * decided in one place (planRepair). Not "drift", which is an environment's resources differing
 * from its tofu configuration (tofu plan -refresh-only).
 */
export type Discrepancy =
  /** The row says queued, and no workflow was ever started for it (the gateway died in between). */
  | { kind: 'job_without_workflow'; jobId: string; tenantSlug: string; status: JobStatus; workflow: 'missing' }
  /** The row says the environment may exist, but its workflow has ended or vanished. */
  | { kind: 'workflow_gone'; jobId: string; tenantSlug: string; status: JobStatus; workflow: 'closed' | 'missing' }
  /** Past expiry (plus grace), not destroyed, while its workflow still runs. */
  | { kind: 'expired_not_destroyed'; jobId: string; tenantSlug: string; workflowId: string; expiresAt: string }
  /**
   * A workspace folder with no live job; `unsavedState` when it holds state tofu could not save
   * (errored.tfstate): then it is the only record of resources and is never removed by the sweep.
   */
  | { kind: 'orphan_workspace'; jobId: string; unsavedState?: boolean }
  /** Tofu state of a tenant with no live job; `resources` is how many it still tracks. */
  /** resources: how many the state tracks; null when the engine cannot open it here (Cloud KMS). */
  | { kind: 'orphan_state'; tenantId: string; resources: number | null }
  /**
   * Resources in the cloud carrying the engine's labels for a tenant with no live job, more of
   * them than the tenant's state tracks (`tracked`; 0 without state): nothing would ever destroy them.
   */
  | { kind: 'untracked_resources'; tenantId: string; tenantSlug: string; resources: string[]; tracked: number }
  /**
   * The proof of deletion run again by the sweep (ADR 27): resources of a tenant whose latest
   * environment (`jobId`) was destroyed, found by its labels and names, with no live job since.
   */
  | { kind: 'resources_after_destroy'; jobId: string; tenantId: string; tenantSlug: string; resources: string[] };

/** What the sweep did about one finding. */
export type DiscrepancyResolution =
  | { finding: Discrepancy; outcome: 'repaired'; action: string }
  | { finding: Discrepancy; outcome: 'reported'; reason: string };

/** One sweep, as recorded in the read model. */
export interface ReconciliationReport {
  startedAt: string;
  finishedAt: string;
  resolutions: DiscrepancyResolution[];
  /** Jobs whose personal fields this sweep purged (absent: the sweep did not purge). */
  personalDataPurged?: number;
}

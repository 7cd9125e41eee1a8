/**
 * Every patch id of the engine's workflows, in the order they shipped. A patch gates behaviour
 * added after runs may have started: `patched(id)` is false while such a run replays its old
 * history. Never rename or reuse an id; remove one only once no run that predates it can exist.
 */
export const PATCHES = {
  /** Webhook notifications (ready, failed, cancelled, expiring soon, destroyed). */
  webhookNotifications: 'webhook-notifications',
  /** Credentials issued before the environment is handed over. */
  issueCredentials: 'issue-credentials',
  /** The tenant's tofu state removed after a successful destroy or compensation. */
  removeState: 'remove-state',
  /** tofu activities on their own task queue (MAX_CONCURRENT_PROVISIONS). */
  tofuTaskQueue: 'tofu-task-queue',
  /** Read-model writes one at a time, in step order, whoever asks for them (main path or a handler). */
  serialReports: 'serial-reports',
  /** A destroy that fails ends destroy_failed and is retried on a backoff or on request, never abandoned. */
  destroyFailedRetries: 'destroy-failed-retries',
  /** Notifications delivered by child workflows that outlive the run (the tenant is free once destroyed). */
  notifyOutsideRun: 'notify-outside-run',
  /** A compensation whose destroy failed names what the state still tracks (resources_left). */
  compensationResourcesLeft: 'compensation-resources-left',
  /** A tofu step whose dependency (state backend, database) stayed away for a whole attempt waits and runs again, using up no attempt. */
  dependencyWaits: 'dependency-waits',
  /** The reconciliation sweep purges personal fields of jobs gone for PERSONAL_DATA_RETENTION_DAYS (ADR 20). */
  purgePersonalData: 'purge-personal-data',
  /**
   * Proof of deletion (ADR 27): after tofu's destroy the cloud is searched for the tenant's
   * resources; any left make the job destroy_incomplete (retried), a compensation records them.
   */
  proofOfDeletion: 'proof-of-deletion',
  /** The sweep's activities under their new names (findDiscrepancies, repairDiscrepancy; ADR 27). */
  sweepDiscrepancies: 'sweep-discrepancies',
  /** A live environment is checked for drift on a jittered interval per tier, reported and optionally repaired (ADR 28). */
  driftChecks: 'drift-checks',
  /** Read-model progress written by local activities, each step's start report written while the step runs (ADR 0029). */
  localProgressWrites: 'local-progress-writes',
} as const;

/**
 * Start-to-close timeouts of the provisioning workflow's quick activities, in seconds: each a
 * few times what its work takes on a loaded worker, so that an attempt the server or worker lost
 * (its answer never arrived) is retried within seconds, not minutes. tofu steps have their own
 * (PROVISIONING_TIMEOUT) and heartbeats. Changing these changes no workflow history's shape.
 */
export const ACTIVITY_TIMEOUT_SECONDS = {
  /** One read-model row update (recordProgress): a single UPDATE, retried until it lands. */
  readModel: 10,
  /** Workspace files made or removed (createWorkspace, cleanupWorkspace). */
  quick: 30,
  /**
   * Steps that may wait for the state backend or rebuild a workspace on another worker first
   * (extractOutputs runs `tofu output`, issueCredentials, removeState).
   */
  durable: 60,
} as const;

/** The longest of them: no quick attempt should stay lost longer than this. */
export const LONGEST_QUICK_TIMEOUT_SECONDS = Math.max(...Object.values(ACTIVITY_TIMEOUT_SECONDS));

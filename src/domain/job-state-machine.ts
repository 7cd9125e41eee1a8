/**
 * The job's one state machine: every status, the statuses it may move to, what it means for
 * the tenant (live or terminal, at work or not) and what a caller may do in it. The workflow,
 * the read model (its SQL guard and the database's CHECK constraint), the API's actions, the
 * metrics and the OpenAPI enum all read it from here; nothing else lists statuses.
 */

/** Every status, in the order a job goes through them (the API, the read model and the Web UI use these words). */
export const JOB_STATUSES = [
  'pending',
  'queued',
  'provisioning',
  'completed',
  'failed',
  'destroying',
  'destroyed',
  'cancelled',
  'destroy_failed',
  'destroy_incomplete',
] as const;

export type JobStatus = (typeof JOB_STATUSES)[number];

/** What a caller may do with a job now, so that no client re-derives the state machine. */
export interface JobActions {
  /** POST /jobs/:id/cancel: stop provisioning and remove what was made. */
  can_cancel: boolean;
  /** POST /jobs/:id/extend: move the expiry later. */
  can_extend: boolean;
  /** POST /jobs/:id/destroy: destroy now (ready), or retry a destroy that failed or left resources (destroy_failed, destroy_incomplete). */
  can_destroy: boolean;
}

interface StatusRule {
  /** Statuses the job may move to from this one (a live status may repeat: one per step). */
  next: readonly JobStatus[];
  /** Live: an environment may exist or be in the making, the tenant's one job; terminal: nothing more happens. */
  live: boolean;
  /** At work: a run is busy with the job right now (the in-flight gauge). */
  inFlight: boolean;
  /** The job carries an error a caller should see (error_message, error_details). */
  showsError: boolean;
  actions: JobActions;
}

const NONE: JobActions = { can_cancel: false, can_extend: false, can_destroy: false };
const PROVISIONING_ACTIONS: JobActions = { can_cancel: true, can_extend: true, can_destroy: false };

const MACHINE: Record<JobStatus, StatusRule> = {
  pending: {
    next: ['pending', 'queued', 'provisioning', 'failed', 'cancelled'],
    live: true,
    inFlight: true,
    showsError: false,
    actions: PROVISIONING_ACTIONS,
  },
  queued: {
    next: ['queued', 'provisioning', 'failed', 'cancelled'],
    live: true,
    inFlight: true,
    showsError: false,
    actions: PROVISIONING_ACTIONS,
  },
  provisioning: {
    // destroying: compensation removing what a failed or cancelled run created.
    next: ['provisioning', 'completed', 'failed', 'cancelled', 'destroying'],
    live: true,
    inFlight: true,
    showsError: false,
    actions: PROVISIONING_ACTIONS,
  },
  completed: {
    next: ['completed', 'destroying'],
    live: true,
    inFlight: false,
    showsError: false,
    actions: { can_cancel: false, can_extend: true, can_destroy: true },
  },
  destroying: {
    // failed / cancelled: the end of a compensation; destroy_failed: a destroy that did not succeed;
    // destroy_incomplete: tofu's destroy succeeded but the proof of deletion found resources left.
    next: ['destroying', 'destroyed', 'destroy_failed', 'destroy_incomplete', 'failed', 'cancelled'],
    live: true,
    inFlight: true,
    showsError: false,
    actions: NONE,
  },
  destroy_failed: {
    // The run keeps its workspace and state and retries on a backoff, or when asked to.
    next: ['destroy_failed', 'destroying'],
    live: true,
    inFlight: false,
    showsError: true,
    actions: { can_cancel: false, can_extend: false, can_destroy: true },
  },
  destroy_incomplete: {
    // The cloud still holds resources with the tenant's labels or names (ADR 27): the run keeps
    // workspace and state, retries on the same backoff or when asked, and ends destroyed only
    // once the proof of deletion finds nothing.
    next: ['destroy_incomplete', 'destroying'],
    live: true,
    inFlight: false,
    showsError: true,
    actions: { can_cancel: false, can_extend: false, can_destroy: true },
  },
  failed: { next: [], live: false, inFlight: false, showsError: true, actions: NONE },
  destroyed: { next: [], live: false, inFlight: false, showsError: false, actions: NONE },
  cancelled: { next: [], live: false, inFlight: false, showsError: true, actions: NONE },
};

const select = (pick: (r: StatusRule) => boolean): readonly JobStatus[] => JOB_STATUSES.filter((s) => pick(MACHINE[s]));

/** Statuses of a job whose environment may exist or is being made: one per tenant at a time. */
export const LIVE_STATUSES = select((r) => r.live);
/** Statuses after which nothing more happens to the job. */
export const TERMINAL_STATUSES = select((r) => !r.live);
/** Statuses of a job a run is working on now. */
export const IN_FLIGHT_STATUSES = select((r) => r.inFlight);

export function isJobStatus(value: string): value is JobStatus {
  return (JOB_STATUSES as readonly string[]).includes(value);
}

/** Whether a job may move from `from` to `to` (the read model refuses every other write). */
export function canMove(from: JobStatus, to: JobStatus): boolean {
  return MACHINE[from].next.includes(to);
}

/** The statuses a job may be in for a write of `to` to apply. */
export function statusesBefore(to: JobStatus): readonly JobStatus[] {
  return JOB_STATUSES.filter((s) => canMove(s, to));
}

export function actionsFor(status: JobStatus): JobActions {
  return { ...MACHINE[status].actions };
}

/** Whether the job's error (message and details) belongs in its status. */
export function showsError(status: JobStatus): boolean {
  return MACHINE[status].showsError;
}

/** `('a','b')`: a status list as SQL, for migrations (the words are fixed identifiers, never input). */
export function sqlStatusList(statuses: readonly JobStatus[]): string {
  return `(${statuses.map((s) => `'${s}'`).join(',')})`;
}

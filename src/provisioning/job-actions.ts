import type { JobStatus } from '../domain/job-status';

import type { JobActions } from '../openapi/responses';

/** What a caller may do with a job now, so that no client re-derives the state machine. */
export type { JobActions };

const CANCELLABLE: readonly JobStatus[] = ['pending', 'queued', 'provisioning'];
const EXTENDABLE: readonly JobStatus[] = ['pending', 'queued', 'provisioning', 'completed'];

export function actionsFor(status: JobStatus): JobActions {
  return {
    can_cancel: CANCELLABLE.includes(status),
    can_extend: EXTENDABLE.includes(status),
    can_destroy: status === 'completed',
  };
}

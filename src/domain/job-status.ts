/** Every status a provisioning job can be in; the same words in the API, the read model and the Web UI. */
export const JOB_STATUSES = [
  'pending',
  'queued',
  'provisioning',
  'completed',
  'failed',
  'destroying',
  'destroyed',
  'cancelled',
] as const;

export type JobStatus = (typeof JOB_STATUSES)[number];

/** Statuses after which the workflow does nothing more for the job. */
export const TERMINAL_STATUSES: readonly JobStatus[] = ['failed', 'destroyed', 'cancelled'];

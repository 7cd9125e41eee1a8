// The statuses live in the job's state machine (job-state-machine.ts); this module keeps the
// names other code has always imported.
export { JOB_STATUSES, TERMINAL_STATUSES, type JobStatus } from './job-state-machine';

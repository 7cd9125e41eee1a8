// What a caller may do with a job is decided by the job's state machine, nowhere else.
export { actionsFor, type JobActions } from '../domain/job-state-machine';

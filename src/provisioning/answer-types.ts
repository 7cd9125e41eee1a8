import type { JobStatus } from '../domain/job-status';

// The gateway's own shapes of two answers. They lived in the hand-kept client (src/client),
// which is now generated from docs/openapi.json into clients/typescript: the gateway must not
// depend on its client, so the shapes it builds are declared here.

/** The 202 answer of POST /provision. */
export interface SubmitAccepted {
  success: true;
  message: string;
  job_id: string;
  status: JobStatus;
  estimated_duration: string;
  progress_tracking_url: string;
}

/** What may be done with a job now. */
export interface JobActions {
  can_cancel: boolean;
  can_extend: boolean;
  can_destroy: boolean;
}

import type { JobStatus } from '../domain/job-status';
import type { ProvisionRequestInput } from '../domain/normalize-request';

/** The body of POST /provision (expires_at may be left to poc_duration_days). */
export type ProvisioningRequest = ProvisionRequestInput;

export interface SubmitAccepted {
  success: true;
  message: string;
  job_id: string;
  status: JobStatus;
  /** Go duration text, e.g. "30m0s". */
  estimated_duration: string;
  /** The status path, relative to the API's origin. */
  progress_tracking_url: string;
  estimated_duration_seconds: number;
  progress_tracking_absolute_url: string;
}

export interface JobActions {
  can_cancel: boolean;
  can_extend: boolean;
  can_destroy: boolean;
}

/** What names a job in every answer. */
export interface JobIdentity {
  job_id: string;
  tenant_id: string;
  tenant_slug: string;
  poc_tier: string;
  priority: string;
  status: JobStatus;
}

export interface JobStatusView extends JobIdentity {
  success: true;
  message: string | null;
  /** Resource names by key (gke_cluster, database_instance, vpc_network). */
  provisioned_resources: Record<string, string>;
  service_endpoints: Record<string, string>;
  error_message: string | null;
  error_details: Record<string, unknown> | null;
  step_message: string | null;
  current_step: string | null;
  completed_steps: number;
  total_steps: number;
  progress_percent: number;
  plan_summary: Record<string, number> | null;
  /** Each resource in detail, under the keys of provisioned_resources. */
  resources: Record<string, Record<string, unknown>>;
  expires_at: string;
  timings: {
    queued_at: string | null;
    started_at: string | null;
    completed_at: string | null;
    estimated_duration_seconds: number | null;
    actual_duration_seconds: number | null;
  };
  retry_count: number;
  /** Run artifacts by name → gs:// address (when an artifacts bucket is configured). */
  artifacts: Record<string, string>;
  actions: JobActions;
}

export interface JobSummary extends JobIdentity {
  current_step: string | null;
  progress_percent: number;
  expires_at: string;
  created_at: string;
  actions: JobActions;
}

export interface JobListPage {
  success: true;
  jobs: JobSummary[];
  next_cursor: string | null;
}

export interface JobListFilter {
  tenant_id?: string;
  status?: JobStatus[];
  tier?: 'standard' | 'professional' | 'enterprise';
  created_from?: string;
  created_to?: string;
  limit?: number;
  cursor?: string;
}

export interface JobEvent {
  seq: number;
  status: JobStatus;
  step: string;
  message: string | null;
  details: Record<string, unknown>;
  at: string;
}

export interface AccessCredentialsView {
  success: true;
  job_id: string;
  credentials: { username: string; password: string; [k: string]: unknown };
}

/** The API's one error shape. */
export interface ApiErrorBody {
  success: false;
  error: { code: string; message: string; details: Array<{ field: string; reason: string }>; [k: string]: unknown };
}

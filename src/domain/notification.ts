import type { JobStatus } from './job-status';

/** Events the signup backend is told about. */
export type NotificationEvent =
  | 'environment.ready'
  | 'environment.failed'
  | 'environment.cancelled'
  | 'environment.expiring_soon'
  | 'environment.destroyed';

/** The body of one webhook delivery. Never carries credentials. */
export interface Notification {
  /** Unique per delivery and stable across retries: receivers de-duplicate on it. */
  delivery_id: string;
  event: NotificationEvent;
  job_id: string;
  tenant_id: string;
  tenant_slug: string;
  status: JobStatus;
  occurred_at: string;
  expires_at: string;
  service_endpoints?: Record<string, string>;
  error?: { code: string; message: string };
}

import type { DriftReport } from './drift';
import type { JobStatus } from './job-status';

/** Events the signup backend is told about. */
export type NotificationEvent =
  | 'environment.ready'
  | 'environment.failed'
  | 'environment.cancelled'
  | 'environment.expiring_soon'
  | 'environment.destroyed'
  /** The destroy failed: resources are left; the engine retries on a backoff (and on POST /destroy). */
  | 'environment.destroy_failed'
  /**
   * tofu's destroy succeeded but the proof of deletion found resources of the tenant left in the
   * cloud (destroy_incomplete): they are named; the engine retries on a backoff (and on POST /destroy).
   */
  | 'environment.destroy_incomplete'
  /** A drift check found the live environment differing from its configuration (once per new finding). */
  | 'environment.drifted';

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
  /**
   * destroy_failed: the resources tofu's state still tracks (addresses), when known;
   * destroy_incomplete: the resources the proof of deletion found in the cloud (self links, asset names).
   */
  resources_left?: string[];
  /** destroy_failed, destroy_incomplete: when the engine tries the destroy again by itself. */
  next_retry_at?: string;
  /** drifted: what differs (resource addresses, actions, attribute names; never values) and since when. */
  drift?: DriftReport;
}

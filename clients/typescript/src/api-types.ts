import type { paths } from './generated/openapi';

// The API's shapes under the names callers use, derived from the generated `paths` by path and
// method (not by schema name), so that regenerating from a changed docs/openapi.json carries
// every change of a shape through without an edit here.

type JsonBody<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type Responses<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R }
  ? R
  : never;

/** The JSON body of the operation's success answer (200, 201 or 202). */
export type SuccessBody<P extends keyof paths, M extends keyof paths[P]> = JsonBody<
  Responses<P, M>[Extract<keyof Responses<P, M>, 200 | 201 | 202>]
>;

/** The JSON body the operation takes. */
export type RequestBody<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: infer B;
}
  ? JsonBody<NonNullable<B>>
  : never;

/** The body of POST /provision (expires_at may be left to poc_duration_days). */
export type ProvisioningRequest = RequestBody<'/api/v1/provisioning/provision', 'post'>;
export type SubmitAccepted = SuccessBody<'/api/v1/provisioning/provision', 'post'>;
export type JobStatusView = SuccessBody<'/api/v1/provisioning/status/{job_id}', 'get'>;
/** A job's status value: pending, queued, provisioning, completed, failed, ... */
export type JobStatus = JobStatusView['status'];
export type JobListPage = SuccessBody<'/api/v1/provisioning/jobs', 'get'>;
export type JobSummary = JobListPage['jobs'][number];
export type JobEvent = SuccessBody<'/api/v1/provisioning/jobs/{job_id}/events', 'get'>['events'][number];
export type AccessCredentialsView = SuccessBody<'/api/v1/provisioning/jobs/{job_id}/credentials', 'get'>;

type DocumentedHealth = SuccessBody<'/api/v1/health', 'get'>;
/** GET /health: {status, database, queue, workers, version, timestamp} (a map until the document types it). */
export type HealthAnswer = [DocumentedHealth] extends [never] ? Record<string, unknown> : DocumentedHealth;

type ListQuery = NonNullable<paths['/api/v1/provisioning/jobs']['get']['parameters']['query']>;
/** Filter of GET /jobs; `status` takes several statuses (sent comma-separated). */
export type JobListFilter = Omit<ListQuery, 'status' | 'cursor'> & { status?: JobStatus[]; cursor?: string };

/** The API's one error shape. */
export interface ApiErrorBody {
  success: false;
  error: { code: string; message: string; details: Array<{ field: string; reason: string }>; [k: string]: unknown };
}

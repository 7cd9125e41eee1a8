import type { Context } from '@temporalio/activity';
import { defaultPayloadConverter } from '@temporalio/common';
import type { ActivityInterceptors } from '@temporalio/worker';
import { REQUEST_ID_HEADER } from '../../workflows/job-log-attributes';

/** The job an activity works on, as its first argument names it (JobRef, ProgressUpdate or Notification). */
export function jobFieldsOf(arg: unknown): Record<string, string> {
  if (typeof arg !== 'object' || arg === null) return {};
  const a = arg as {
    jobId?: unknown;
    job_id?: unknown;
    tenant_slug?: unknown;
    step?: unknown;
    request?: { tenant_slug?: unknown };
  };
  const fields: Record<string, string> = {};
  const jobId = a.jobId ?? a.job_id;
  if (typeof jobId === 'string') fields.job_id = jobId;
  const slug = a.request?.tenant_slug ?? a.tenant_slug;
  if (typeof slug === 'string') fields.tenant_slug = slug;
  // A progress write names the workflow step it records.
  if (typeof a.step === 'string') fields.step = a.step;
  return fields;
}

/** Activities too frequent to log at info (a run makes a dozen read-model writes). */
const QUIET_ACTIVITIES = new Set(['recordProgress']);

/**
 * Puts job_id, tenant_slug, the step and the starting request's id on every log line of an
 * activity (the SDK adds the workflow and run ids), and logs each activity's end with its duration.
 */
export function jobLogInterceptors(ctx: Context): ActivityInterceptors {
  let fields: Record<string, string> = {};
  return {
    inbound: {
      async execute(input, next) {
        fields = { step: ctx.info.activityType, ...jobFieldsOf(input.args[0]) };
        const requestId = input.headers[REQUEST_ID_HEADER];
        if (requestId) fields.request_id = defaultPayloadConverter.fromPayload<string>(requestId);
        const started = Date.now();
        const result = await next(input);
        const level = QUIET_ACTIVITIES.has(ctx.info.activityType) ? 'debug' : 'info';
        ctx.log[level]('activity completed', { duration_ms: Date.now() - started });
        return result;
      },
    },
    outbound: {
      getLogAttributes(input, next) {
        return next({ ...input, ...fields });
      },
    },
  };
}

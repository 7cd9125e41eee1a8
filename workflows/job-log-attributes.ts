import {
  defaultPayloadConverter,
  workflowInfo,
  type ActivityInput,
  type GetLogAttributesInput,
  type Next,
  type WorkflowInterceptorsFactory,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';

/** Header that carries the starting request's id to activities (their log lines name it). */
export const REQUEST_ID_HEADER = 'poc-request-id';

/** The job, tenant and starting request of this run, from its memo (set when it was started). */
function runFields(): Record<string, string> {
  const memo = workflowInfo().memo ?? {};
  const fields: Record<string, string> = {};
  for (const key of ['job_id', 'tenant_slug', 'request_id']) {
    if (typeof memo[key] === 'string') fields[key] = memo[key];
  }
  return fields;
}

/** Adds the job id, tenant slug and request id to every log line of a workflow, and passes the request id on. */
class JobLogAttributes implements WorkflowOutboundCallsInterceptor {
  getLogAttributes(
    input: GetLogAttributesInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'getLogAttributes'>,
  ): Record<string, unknown> {
    return next({ ...input, ...runFields() });
  }

  scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>) {
    const requestId = runFields().request_id;
    if (!requestId) return next(input);
    return next({
      ...input,
      headers: { ...input.headers, [REQUEST_ID_HEADER]: defaultPayloadConverter.toPayload(requestId) },
    });
  }
}

/** Workflow interceptor module (listed in the worker's `interceptors.workflowModules`). */
export const interceptors: WorkflowInterceptorsFactory = () => ({ outbound: [new JobLogAttributes()] });

import {
  defaultPayloadConverter,
  workflowInfo,
  type ActivityInput,
  type GetLogAttributesInput,
  type LocalActivityInput,
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
    return next(withRequestId(input));
  }

  // Read-model progress writes are local activities (ADR 0029): their log lines name the request too.
  scheduleLocalActivity(
    input: LocalActivityInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>,
  ) {
    return next(withRequestId(input));
  }
}

/** The call with the starting request's id in its headers, when the run has one. */
function withRequestId<T extends ActivityInput | LocalActivityInput>(input: T): T {
  const requestId = runFields().request_id;
  if (!requestId) return input;
  return { ...input, headers: { ...input.headers, [REQUEST_ID_HEADER]: defaultPayloadConverter.toPayload(requestId) } };
}

/** Workflow interceptor module (listed in the worker's `interceptors.workflowModules`). */
export const interceptors: WorkflowInterceptorsFactory = () => ({ outbound: [new JobLogAttributes()] });

import {
  workflowInfo,
  type GetLogAttributesInput,
  type Next,
  type WorkflowInterceptorsFactory,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';

/** Adds the job id and tenant slug (from the run's memo) to every log line of a workflow. */
class JobLogAttributes implements WorkflowOutboundCallsInterceptor {
  getLogAttributes(
    input: GetLogAttributesInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'getLogAttributes'>,
  ): Record<string, unknown> {
    const memo = workflowInfo().memo ?? {};
    const extra: Record<string, unknown> = {};
    if (typeof memo.job_id === 'string') extra.job_id = memo.job_id;
    if (typeof memo.tenant_slug === 'string') extra.tenant_slug = memo.tenant_slug;
    return next({ ...input, ...extra });
  }
}

/** Workflow interceptor module (listed in the worker's `interceptors.workflowModules`). */
export const interceptors: WorkflowInterceptorsFactory = () => ({ outbound: [new JobLogAttributes()] });

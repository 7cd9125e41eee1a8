import type { Next, WorkflowClientInterceptor, WorkflowStartInput } from '@temporalio/client';
import { currentRequestId } from '../logging/request-context';

/**
 * Records the HTTP request that started a run in its memo (`request_id`), so the run's log lines
 * can name it on any worker, for as long as the run lives.
 */
export class RequestIdMemoInterceptor implements WorkflowClientInterceptor {
  async start(input: WorkflowStartInput, next: Next<WorkflowClientInterceptor, 'start'>): Promise<string> {
    const requestId = currentRequestId();
    if (!requestId) return next(input);
    return next({ ...input, options: { ...input.options, memo: { ...input.options.memo, request_id: requestId } } });
  }
}

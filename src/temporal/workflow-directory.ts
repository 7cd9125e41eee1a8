import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { destroyNowSignal } from '../../workflows/provision-environment.api';
import type { WorkflowSettings } from '../../workflows/provision-environment.types';
import type { ProvisionRequest } from '../domain/provision-request';
import type { WorkflowPresence } from '../domain/reconciliation';
import { JobId } from './search-attributes';
import { startProvisioningWorkflow } from './start-provisioning-workflow';

/** What the reconciliation sweep asks Temporal about and of provisioning workflows. */
export interface WorkflowDirectory {
  /** Whether the job's own run is running, has closed, or was never started. */
  presence(workflowId: string, jobId: string): Promise<WorkflowPresence>;
  /** Asks a running workflow to destroy its environment now (a signal: idempotent). */
  requestDestroy(workflowId: string, reason: string): Promise<void>;
  /** Starts the job's workflow; `already_running` when a run of the tenant is running. */
  startProvisioning(jobId: string, request: ProvisionRequest): Promise<'started' | 'already_running'>;
}

/** The WorkflowDirectory of a Temporal client. */
export class TemporalWorkflowDirectory implements WorkflowDirectory {
  constructor(
    private readonly client: Client,
    private readonly opts: { taskQueue: string; settings: WorkflowSettings },
  ) {}

  async presence(workflowId: string, jobId: string): Promise<WorkflowPresence> {
    try {
      // Workflow ids come from the tenant (ADR 1): the latest run may belong to another job.
      const latest = await this.client.workflow.getHandle(workflowId).describe();
      if (latest.typedSearchAttributes.get(JobId) === jobId) {
        return latest.status.name === 'RUNNING' ? 'running' : 'closed';
      }
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    const earlier = await this.client.workflow.count(`WorkflowId = '${workflowId}' AND JobId = '${jobId}'`);
    return earlier.count > 0 ? 'closed' : 'missing';
  }

  async requestDestroy(workflowId: string, reason: string): Promise<void> {
    await this.client.workflow.getHandle(workflowId).signal(destroyNowSignal, { reason });
  }

  async startProvisioning(jobId: string, request: ProvisionRequest): Promise<'started' | 'already_running'> {
    try {
      await startProvisioningWorkflow(this.client, this.opts, jobId, request);
      return 'started';
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return 'already_running';
      throw err;
    }
  }
}

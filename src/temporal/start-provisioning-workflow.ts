import type { Client, WorkflowHandle } from '@temporalio/client';
import type { provisionEnvironment } from '../../workflows/provision-environment.workflow';
import { PROVISION_WORKFLOW, type WorkflowSettings } from '../../workflows/provision-environment.types';
import type { AppConfig } from '../config/app-config';
import { PRIORITY_KEY } from '../domain/priority-key';
import type { ProvisionRequest } from '../domain/provision-request';
import { provisioningWorkflowId } from '../domain/workflow-ids';
import { ExpiresAt, JobId, PocTier, ProvisioningStatus, TenantId, TenantSlug } from './search-attributes';

/** The workflow settings that come from configuration (a workflow cannot read it). */
export function workflowSettings(config: AppConfig): WorkflowSettings {
  return {
    tofuTimeoutSeconds: config.worker.provisioningTimeoutSeconds,
    retryAttempts: config.worker.retryAttempts,
    reminderLeadSeconds: config.notify.reminderLeadSeconds,
    destroyRetryInitialSeconds: config.worker.destroyRetryInitialSeconds,
    destroyRetryMaxSeconds: config.worker.destroyRetryMaxSeconds,
    driftCheck: config.worker.driftCheck,
  };
}

/**
 * Starts the provisioning workflow of an accepted job: the gateway does it on submit, the
 * reconciliation sweep for a job whose start was lost. The id comes from the tenant and a
 * running id is refused (WorkflowExecutionAlreadyStartedError), so a job never runs twice.
 */
export function startProvisioningWorkflow(
  client: Client,
  opts: { taskQueue: string; settings: WorkflowSettings },
  jobId: string,
  request: ProvisionRequest,
): Promise<WorkflowHandle<typeof provisionEnvironment>> {
  return client.workflow.start<typeof provisionEnvironment>(PROVISION_WORKFLOW, {
    workflowId: provisioningWorkflowId(request.tenant_id),
    taskQueue: opts.taskQueue,
    args: [{ jobId, request, settings: opts.settings }],
    priority: { priorityKey: PRIORITY_KEY[request.priority], fairnessKey: request.tenant_id },
    workflowIdConflictPolicy: 'FAIL',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    typedSearchAttributes: [
      { key: TenantId, value: request.tenant_id },
      { key: TenantSlug, value: request.tenant_slug },
      { key: PocTier, value: request.poc_config.poc_tier },
      { key: ProvisioningStatus, value: 'queued' },
      { key: JobId, value: jobId },
      { key: ExpiresAt, value: new Date(request.poc_config.expires_at) },
    ],
    memo: { job_id: jobId, tenant_slug: request.tenant_slug, priority: request.priority },
    staticSummary: `POC ${request.poc_config.poc_tier} environment for ${request.tenant_slug}`,
    staticDetails: `job ${jobId} · expires ${request.poc_config.expires_at} · priority ${request.priority}`,
  });
}

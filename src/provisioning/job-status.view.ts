import type { ProvisioningJobEntity } from '../persistence/provisioning-job.entity';

/** The answer of GET /status/:job_id, built from the read model only. */
export function toStatusView(job: ProvisioningJobEntity) {
  const base = {
    success: true as const,
    job_id: job.jobId,
    tenant_id: job.tenantId,
    tenant_slug: job.tenantSlug,
    poc_tier: job.pocTier,
    priority: job.priority,
    status: job.status,
    message: job.message,
    current_step: job.currentStep,
    completed_steps: job.completedSteps,
    total_steps: job.totalSteps,
    progress_percent: job.progressPercent,
    plan_summary: job.planSummary,
    provisioned_resources: job.provisionedResources ?? {},
    service_endpoints: job.serviceEndpoints ?? {},
    expires_at: job.expiresAt.toISOString(),
    queued_at: job.queuedAt.toISOString(),
    started_at: job.startedAt?.toISOString() ?? null,
    completed_at: job.completedAt?.toISOString() ?? null,
    updated_at: job.updatedAt.toISOString(),
  };
  return job.status === 'failed' || job.status === 'cancelled'
    ? { ...base, error_message: job.errorMessage, error_details: job.errorDetails }
    : base;
}

export type StatusView = ReturnType<typeof toStatusView>;

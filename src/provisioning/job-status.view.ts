import type { JobEventEntity } from '../persistence/job-event.entity';
import type { ProvisioningJobEntity } from '../persistence/provisioning-job.entity';
import { showsError } from '../domain/job-state-machine';
import { actionsFor } from './job-actions';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** What names a job in every answer: who, which tier, where it is. */
function jobIdentity(job: ProvisioningJobEntity) {
  return {
    job_id: job.jobId,
    tenant_id: job.tenantId,
    tenant_slug: job.tenantSlug,
    poc_tier: job.pocTier,
    priority: job.priority,
    status: job.status,
  };
}

/** The answer of GET /status/:job_id, built from the read model only. */
export function toStatusView(job: ProvisioningJobEntity) {
  const base = {
    success: true as const,
    ...jobIdentity(job),
    message: job.message,
    current_step: job.currentStep,
    completed_steps: job.completedSteps,
    total_steps: job.totalSteps,
    progress_percent: job.progressPercent,
    plan_summary: job.planSummary,
    provisioned_resources: job.provisionedResources ?? {},
    service_endpoints: job.serviceEndpoints ?? {},
    expires_at: job.expiresAt.toISOString(),
    timings: {
      queued_at: iso(job.queuedAt),
      started_at: iso(job.startedAt),
      completed_at: iso(job.completedAt),
      estimated_duration_seconds: job.estimatedDurationSeconds,
      actual_duration_seconds: job.actualDurationSeconds,
    },
    queued_at: iso(job.queuedAt),
    started_at: iso(job.startedAt),
    completed_at: iso(job.completedAt),
    updated_at: job.updatedAt.toISOString(),
    retry_count: job.retryCount,
    artifacts: job.artifacts ?? {},
    actions: actionsFor(job.status),
  };
  return showsError(job.status) ? { ...base, error_message: job.errorMessage, error_details: job.errorDetails } : base;
}

export type StatusView = ReturnType<typeof toStatusView>;

/** One job in the job list: the status without the heavy parts. */
export function toJobSummary(job: ProvisioningJobEntity) {
  return {
    ...jobIdentity(job),
    current_step: job.currentStep,
    progress_percent: job.progressPercent,
    expires_at: job.expiresAt.toISOString(),
    created_at: job.createdAt.toISOString(),
    actions: actionsFor(job.status),
  };
}

/** One step of a job's history. */
export function toEventView(e: JobEventEntity) {
  return {
    seq: e.seq,
    status: e.status,
    step: e.step,
    message: e.message,
    details: e.details ?? {},
    at: e.createdAt.toISOString(),
  };
}

import type { JobStatus } from '../domain/job-status';
import type { JobEventEntity } from '../persistence/job-event.entity';
import type { ProvisioningJobEntity } from '../persistence/provisioning-job.entity';
import type {
  EnvironmentDrift,
  JobEvent,
  JobStatusView,
  JobSummary,
  PlanSummary,
  ProvisionedResourceNames,
  ResourceDetails,
  ServiceEndpoints,
} from '../openapi/responses';
import { LIVE_STATUSES, showsError } from '../domain/job-state-machine';
import { actionsFor } from './job-actions';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** The seed's wording of a completed job (its callers may show it as it is). */
export const COMPLETED_MESSAGE = 'Infrastructure provisioning completed successfully';

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

// The seed's order of the keys (jsonb does not keep the order they were written in).
const RESOURCE_ORDER = ['gke_cluster', 'database_instance', 'vpc_network'];
const ENDPOINT_ORDER = ['api_endpoint', 'web_interface', 'monitoring_dashboard'];

/** The entries of `record` with the keys of `order` first, in that order, then the others. */
function inOrder<T>(record: Record<string, T>, order: readonly string[]): Record<string, T> {
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => rank(a) - rank(b)));
}

/**
 * The seed's provisioned_resources: each resource's name. The stack reports resources as
 * objects with a `name` (see terraform/modules/*\/outputs.tf); those objects are the `resources`.
 */
export function resourceNames(resources: Record<string, unknown>): ProvisionedResourceNames {
  const names: Record<string, string> = {};
  for (const [key, value] of Object.entries(inOrder(resources, RESOURCE_ORDER))) {
    const name = typeof value === 'string' ? value : (value as { name?: unknown } | null)?.name;
    if (typeof name === 'string') names[key] = name;
  }
  return names;
}

/** The answer of GET /status/:job_id, built from the read model only: the seed's fields, then the engine's. */
export function toStatusView(job: ProvisioningJobEntity): JobStatusView {
  const resources = job.provisionedResources ?? {};
  const failed = showsError(job.status);
  return {
    success: true,
    job_id: job.jobId,
    status: job.status,
    message: job.status === 'completed' ? COMPLETED_MESSAGE : job.message,
    provisioned_resources: resourceNames(resources),
    service_endpoints: inOrder(job.serviceEndpoints ?? {}, ENDPOINT_ORDER) as ServiceEndpoints,
    error_message: failed ? job.errorMessage : null,
    error_details: failed ? job.errorDetails : null,
    tenant_id: job.tenantId,
    tenant_slug: job.tenantSlug,
    poc_tier: job.pocTier,
    priority: job.priority,
    step_message: job.message,
    current_step: job.currentStep,
    completed_steps: job.completedSteps,
    total_steps: job.totalSteps,
    progress_percent: job.progressPercent,
    plan_summary: job.planSummary as PlanSummary | null,
    resources: inOrder(resources, RESOURCE_ORDER) as ResourceDetails,
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
    drift: driftOf(job),
  };
}

/** The environment's drift while it is live and differs from its configuration; null otherwise. */
function driftOf(job: ProvisioningJobEntity): EnvironmentDrift | null {
  if (!job.driftDetectedAt || !job.driftResources || !LIVE_STATUSES.includes(job.status)) return null;
  return { detected_at: job.driftDetectedAt.toISOString(), resources: job.driftResources };
}

/** The status answer's type (the DTO class JobStatusView); the name callers of the view import. */
export type StatusView = JobStatusView;

/** One job in the job list: the status without the heavy parts. */
export function toJobSummary(job: ProvisioningJobEntity): JobSummary {
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
export function toEventView(e: JobEventEntity): JobEvent {
  return {
    seq: e.seq,
    // The writer records only statuses of the state machine.
    status: e.status as JobStatus,
    step: e.step,
    message: e.message,
    details: e.details ?? {},
    at: e.createdAt.toISOString(),
  };
}

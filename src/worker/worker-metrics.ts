import { Counter, Histogram, Registry } from 'prom-client';
import type { ActivityMetrics, StepObservation } from '../../activities/activity-metrics';
import type { ProgressUpdate } from '../domain/progress-update';
import type { JobLabels } from '../read-model/fleet-facts';

/** Finds a job's labels (the read model in a worker); null for an unknown job. */
export type JobLabelLookup = (jobId: string) => Promise<JobLabels | null>;

// tofu steps take seconds (local stack) to tens of minutes (GKE on GCP).
const STEP_BUCKETS = [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600];
const PROVISIONING_BUCKETS = [5, 10, 30, 60, 120, 300, 600, 900, 1200, 1800, 2700, 3600, 7200];

/**
 * Counters and histograms of the work a worker does, recorded where the activities run. Each
 * worker counts its own work: sum over workers in queries.
 */
export class WorkerMetrics implements ActivityMetrics {
  private readonly stepDuration: Histogram<'step' | 'tier' | 'outcome'>;
  private readonly tofuRetries: Counter<'step'>;
  private readonly webhookFailures: Counter<'event'>;
  private readonly jobsFinished: Record<'completed' | 'failed' | 'cancelled', Counter<'tier' | 'priority'>>;
  private readonly provisioningDuration: Histogram<'tier' | 'outcome'>;
  private readonly destroyFailures: Counter<'tier'>;
  private readonly resourcesLeft: Counter<'tier' | 'after'>;

  constructor(
    readonly registry: Registry,
    private readonly labelsOf: JobLabelLookup,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {
    const registers = [registry];
    this.stepDuration = new Histogram({
      name: 'poc_tofu_step_duration_seconds',
      help: 'Duration of one attempt of a tofu step (init, plan, apply, destroy, drift_check), by tier and outcome',
      labelNames: ['step', 'tier', 'outcome'],
      buckets: STEP_BUCKETS,
      registers,
    });
    this.tofuRetries = new Counter({
      name: 'poc_tofu_retries_total',
      help: 'Attempts of a tofu step after its first (Temporal activity attempt > 1)',
      labelNames: ['step'],
      registers,
    });
    this.webhookFailures = new Counter({
      name: 'poc_webhook_failures_total',
      help: 'Webhook deliveries that failed (each failed attempt; retried by Temporal)',
      labelNames: ['event'],
      registers,
    });
    const finished = (status: string) =>
      new Counter({
        name: `poc_jobs_${status}_total`,
        help: `Provisioning jobs that ended ${status}, by tier and priority`,
        labelNames: ['tier', 'priority'],
        registers,
      });
    this.jobsFinished = {
      completed: finished('completed'),
      failed: finished('failed'),
      cancelled: finished('cancelled'),
    };
    this.provisioningDuration = new Histogram({
      name: 'poc_provisioning_duration_seconds',
      help: 'From request accepted (queued) to environment ready or provisioning failed, by tier',
      labelNames: ['tier', 'outcome'],
      buckets: PROVISIONING_BUCKETS,
      registers,
    });
    this.destroyFailures = new Counter({
      name: 'poc_destroy_failures_total',
      help: 'Destroys that failed (each failed attempt; the job is destroy_failed and retried on a backoff), by tier',
      labelNames: ['tier'],
      registers,
    });
    this.resourcesLeft = new Counter({
      name: 'poc_deletion_proof_resources_left_total',
      help: 'Proofs of deletion that found resources of the tenant left in the cloud, after a destroy (the job is destroy_incomplete, retried) or a compensation (recorded on the failed or cancelled job), by tier',
      labelNames: ['tier', 'after'],
      registers,
    });
  }

  stepFinished(o: StepObservation): void {
    this.stepDuration.observe({ step: o.step, tier: o.tier, outcome: o.outcome }, o.seconds);
    if (o.attempt > 1) this.tofuRetries.inc({ step: o.step });
  }

  webhookFailed(event: string): void {
    this.webhookFailures.inc({ event });
  }

  /** Counts a job's end once; a metrics failure is reported, never passed to the activity. */
  async progressRecorded(update: ProgressUpdate): Promise<void> {
    const outcome = terminalOutcome(update);
    const destroyFailed = update.status === 'destroy_failed' && update.kind === 'failed';
    const left = resourcesLeftAfter(update);
    if (!outcome && !destroyFailed && !left) return;
    try {
      const job = await this.labelsOf(update.jobId);
      if (!job) return;
      if (left) this.resourcesLeft.inc({ tier: job.tier, after: left });
      if (destroyFailed) {
        this.destroyFailures.inc({ tier: job.tier });
        return;
      }
      if (!outcome) return;
      this.jobsFinished[outcome].inc({ tier: job.tier, priority: job.priority });
      if (outcome !== 'cancelled') {
        this.provisioningDuration.observe(
          { tier: job.tier, outcome: outcome === 'completed' ? 'success' : 'failure' },
          (Date.now() - job.queuedAt.getTime()) / 1000,
        );
      }
    } catch (err) {
      this.onError(err);
    }
  }
}

/** Whether the write records a proof of deletion that found resources left, and after what (ADR 27). */
function resourcesLeftAfter(u: ProgressUpdate): 'destroy' | 'compensation' | null {
  if (u.kind !== 'failed') return null;
  if (u.status === 'destroy_incomplete') return 'destroy';
  if (u.error.details.deletion_proof === 'resources_left') return 'compensation';
  return null;
}

/** The write that ends a provisioning: ready (once) or failed/cancelled. */
function terminalOutcome(u: ProgressUpdate): 'completed' | 'failed' | 'cancelled' | null {
  if (u.kind === 'provisioned' && u.status === 'completed') return 'completed';
  if (u.kind === 'failed' && (u.status === 'failed' || u.status === 'cancelled')) return u.status;
  return null;
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { destroyNowUpdate, extendUpdate } from '../../workflows/provision-environment.api';
import type { TenantSet } from '../auth/tenant-scope';
import { DomainError } from '../domain/domain-error';
import type { ProvisioningJobEntity } from '../persistence/provisioning-job.entity';
import { JobReader } from '../read-model/job-reader';
import { JobWriter, type Asker } from '../read-model/job-writer';
import { boundedText } from '../logging/bounded-text';
import { TEMPORAL_CLIENT } from '../temporal/temporal.module';
import { canMove, type JobStatus } from '../domain/job-state-machine';
import { actionsFor, type JobActions } from './job-actions';
import type { StatusView } from './job-status.view';
import { jobNotFound, ProvisioningService } from './provisioning.service';

/**
 * Steers a job's workflow for the API: extend (Update), destroy now (Update), cancel. Each
 * checks the read model's status first, so a caller gets a clear 409 without a round trip,
 * and the workflow's own validators decide the races the read model cannot see. Each accepted
 * action is audited (job_action_audit: who asked, with the request id of the answer).
 */
@Injectable()
export class JobControlService {
  private readonly logger = new Logger(JobControlService.name);

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly reader: JobReader,
    private readonly provisioning: ProvisioningService,
    private readonly writer: JobWriter,
  ) {}

  async extend(jobId: string, expiresAt: string, asker: Asker, tenants?: TenantSet): Promise<StatusView> {
    const job = await this.allowed(jobId, 'can_extend', 'extended', tenants);
    await this.steer(job, (h) => h.executeUpdate(extendUpdate, { args: [{ expires_at: expiresAt }] }), 'expires_at');
    await this.writer.recordJobAction(jobId, 'extend', asker, { expires_at: expiresAt });
    return this.provisioning.status(jobId);
  }

  async destroy(jobId: string, reason: string | undefined, asker: Asker, tenants?: TenantSet): Promise<StatusView> {
    const job = await this.allowed(jobId, 'can_destroy', 'destroyed now', tenants);
    await this.steer(job, (h) =>
      h.executeUpdate(destroyNowUpdate, { args: [{ reason: reason ?? 'requested over the API' }] }),
    );
    await this.writer.recordJobAction(jobId, 'destroy', asker, { reason });
    this.logger.log(`job ${jobId}: destroy requested by ${asker.principal}`);
    // The run accepted the destroy: the job is destroying from now on, whether or not its own
    // write of that step has reached the read model yet. A caller reading `actions` in this
    // answer must not see a destroy it can ask for again.
    return accepted(await this.provisioning.status(jobId), 'destroying');
  }

  async cancel(jobId: string, reason: string | undefined, asker: Asker, tenants?: TenantSet): Promise<StatusView> {
    const job = await this.allowed(jobId, 'can_cancel', 'cancelled', tenants);
    // Cancellation is a request: the run compensates and ends `cancelled` on its own time.
    await this.steer(job, (h) => h.cancel());
    await this.writer.recordJobAction(jobId, 'cancel', asker, { reason });
    this.logger.log(`job ${jobId}: cancellation requested${reason ? ` (${boundedText(reason)})` : ''}`);
    return this.provisioning.status(jobId);
  }

  /** The job, if the caller's tenants hold it (else not found, like no job) and the action is open. */
  private async allowed(
    jobId: string,
    action: keyof JobActions,
    verb: string,
    tenants: TenantSet,
  ): Promise<ProvisioningJobEntity> {
    const job = await this.reader.findJob(jobId, tenants);
    if (!job) throw jobNotFound(jobId);
    if (!actionsFor(job.status)[action]) throw invalidState(job, `A ${job.status} job cannot be ${verb}`);
    return job;
  }

  /** Runs `op` on the job's run; maps the workflow's typed refusals to domain errors. */
  private async steer(
    job: ProvisioningJobEntity,
    op: (h: WorkflowHandle) => Promise<unknown>,
    field = 'job_id',
  ): Promise<void> {
    try {
      await op(this.temporal.workflow.getHandle(job.workflowId));
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
        if (err.cause.type === 'VALIDATION_FAILED') {
          throw new DomainError('VALIDATION_FAILED', `Invalid request: ${field}`, [
            { field, reason: err.cause.message.replace(/^expires_at /, '') },
          ]);
        }
        throw invalidState(job, err.cause.message);
      }
      if (err instanceof WorkflowNotFoundError) throw invalidState(job, 'The job has no running workflow');
      throw err;
    }
  }
}

/** The answer to an accepted action: the read model's view, at the status the action moved the job to. */
function accepted(view: StatusView, next: JobStatus): StatusView {
  return canMove(view.status, next) ? { ...view, status: next, actions: actionsFor(next) } : view;
}

function invalidState(job: ProvisioningJobEntity, message: string): DomainError {
  return new DomainError('INVALID_STATE', message, [], {
    job_id: job.jobId,
    status: job.status,
    actions: actionsFor(job.status),
  });
}

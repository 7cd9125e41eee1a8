import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { SecretBox } from '../crypto/secret-box';
import type { AccessCredentials } from '../domain/access-credentials';
import { DomainError } from '../domain/domain-error';
import type { JobStatus } from '../domain/job-status';
import type { ProvisionRequest } from '../domain/provision-request';
import { checkExpiry } from '../domain/ttl-policy';
import { provisioningWorkflowId } from '../domain/workflow-ids';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { JobReader } from '../read-model/job-reader';
import { JobWriter } from '../read-model/job-writer';
import { startProvisioningWorkflow, workflowSettings } from '../temporal/start-provisioning-workflow';
import { TEMPORAL_CLIENT } from '../temporal/temporal.module';
import { estimatedDuration } from './estimated-duration';
import { toStatusView, type StatusView } from './job-status.view';

/** The answer to an accepted provisioning request. */
export interface SubmitAccepted {
  success: true;
  message: string;
  job_id: string;
  status: JobStatus;
  estimated_duration: string;
  progress_tracking_url: string;
}

/** Accepts provisioning requests and answers status questions from the read model. */
@Injectable()
export class ProvisioningService {
  private readonly logger = new Logger(ProvisioningService.name);
  private readonly credentialsBox: SecretBox;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly reader: JobReader,
    private readonly writer: JobWriter,
    @Optional() private readonly metrics?: GatewayMetrics,
  ) {
    this.credentialsBox = SecretBox.derive(config.encryptionKey, 'access-credentials');
  }

  /**
   * Records the job as queued, then starts its workflow. The workflow id comes from the
   * tenant, so a tenant with a live environment gets a 409 instead of a second run; a row
   * whose workflow could not be started is removed again.
   */
  async submit(request: ProvisionRequest): Promise<SubmitAccepted> {
    const now = Date.now();
    const expiry = checkExpiry({
      tier: request.poc_config.poc_tier,
      createdAt: now,
      now,
      requested: Date.parse(request.poc_config.expires_at),
    });
    if (!expiry.ok) {
      throw new DomainError('VALIDATION_FAILED', 'Invalid request: poc_config.expires_at', [
        { field: 'poc_config.expires_at', reason: expiry.reason },
      ]);
    }
    const live = await this.reader.findLiveJobOfTenant(request.tenant_id);
    if (live) throw this.alreadyActive(live.jobId, live.status);

    const jobId = randomUUID();
    const workflowId = provisioningWorkflowId(request.tenant_id);
    await this.writer.insertQueued({ jobId, workflowId, request });
    try {
      await startProvisioningWorkflow(
        this.temporal,
        { taskQueue: this.config.temporal.taskQueue, settings: workflowSettings(this.config) },
        jobId,
        request,
      );
    } catch (err) {
      await this.writer.deleteUnstarted(jobId);
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        const running = await this.reader.findLiveJobOfTenant(request.tenant_id);
        throw this.alreadyActive(running?.jobId, running?.status);
      }
      this.logger.error(`could not start workflow ${workflowId}: ${(err as Error).message}`);
      throw new DomainError('DEPENDENCY_UNAVAILABLE', 'The workflow service is unavailable; nothing was started');
    }

    this.metrics?.jobSubmitted(request.poc_config.poc_tier, request.priority);
    this.logger.log(`accepted job ${jobId} for tenant ${request.tenant_slug}`);
    return {
      success: true,
      message: 'Provisioning request accepted',
      job_id: jobId,
      status: 'queued',
      estimated_duration: estimatedDuration(request.poc_config.poc_tier),
      progress_tracking_url: `${this.config.http.publicBaseUrl}/api/v1/provisioning/status/${jobId}`,
    };
  }

  /** The job's status as the read model knows it. */
  async status(jobId: string): Promise<StatusView> {
    const job = await this.reader.findJob(jobId);
    if (!job) throw jobNotFound(jobId);
    return toStatusView(job);
  }

  /** Opens a job's sealed credentials; only the credentials endpoint calls this. */
  async credentials(jobId: string): Promise<{ success: true; job_id: string; credentials: AccessCredentials }> {
    const sealed = await this.reader.findSealedCredentials(jobId);
    if (sealed === undefined) throw jobNotFound(jobId);
    if (sealed === null) {
      throw new DomainError('CREDENTIALS_NOT_AVAILABLE', 'No credentials have been issued for this job yet', [], {
        job_id: jobId,
      });
    }
    const credentials = JSON.parse(
      this.credentialsBox.open(Buffer.from(sealed, 'base64'), jobId).toString('utf8'),
    ) as AccessCredentials;
    this.logger.log(`credentials of job ${jobId} were read`);
    return { success: true, job_id: jobId, credentials };
  }

  private alreadyActive(jobId: string | undefined, status: JobStatus | undefined): DomainError {
    return new DomainError(
      'ENVIRONMENT_ALREADY_ACTIVE',
      'This tenant already has a live environment',
      [{ field: 'tenant_id', reason: 'has a live environment' }],
      { job_id: jobId ?? null, status: status ?? null },
    );
  }
}

function jobNotFound(jobId: string): DomainError {
  return new DomainError('JOB_NOT_FOUND', `No provisioning job ${jobId}`, [], { job_id: jobId });
}

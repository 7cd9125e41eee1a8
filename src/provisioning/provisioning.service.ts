import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { SecretBox } from '../crypto/secret-box';
import type { AccessCredentials } from '../domain/access-credentials';
import { DomainError } from '../domain/domain-error';
import type { JobStatus } from '../domain/job-state-machine';
import { normalizeRequest, type ProvisionRequestInput } from '../domain/normalize-request';
import type { PocTier } from '../domain/poc-tier';
import type { ProvisionRequest } from '../domain/provision-request';
import { boundedText } from '../logging/bounded-text';
import { unknownDescriptiveValues } from '../domain/request-vocabulary';
import type { Principal } from '../auth/scopes';
import { mayActFor, type TenantSet } from '../auth/tenant-scope';
import { provisioningWorkflowId } from '../domain/workflow-ids';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { JobReader } from '../read-model/job-reader';
import { JobWriter } from '../read-model/job-writer';
import type { JobEvents, JobList, SubmitAccepted } from '../openapi/responses';
import { goDuration, typicalSeconds } from './estimated-duration';
import { decodeCursor, encodeCursor } from './job-cursor';
import type { JobListQuery } from './dto/job-list.query';
import { toEventView, toJobSummary, toStatusView, type StatusView } from './job-status.view';
import { requestHashesOf } from './request-hash';
import { WorkflowStartLoop } from './workflow-start-loop';

/** The answer to an accepted provisioning request (the DTO class is the contract). */
export type { SubmitAccepted } from '../openapi/responses';

/** The seed's message for a newly accepted job. */
export const QUEUED_MESSAGE = 'Provisioning job queued successfully';

/** Who submits, and under which idempotency key. */
export interface SubmitOptions {
  idempotencyKey?: string;
  principal?: Principal;
}

/** Accepts provisioning requests and answers status questions from the read model. */
@Injectable()
export class ProvisioningService {
  private readonly logger = new Logger(ProvisioningService.name);
  private readonly credentialsBox: SecretBox;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly starts: WorkflowStartLoop,
    private readonly reader: JobReader,
    private readonly writer: JobWriter,
    @Optional() private readonly metrics?: GatewayMetrics,
  ) {
    this.credentialsBox = SecretBox.derive(config.encryptionKeys, 'access-credentials');
  }

  /**
   * Accepts a request: validates what spans fields, records the job as `queued`, hands its
   * workflow start to the start loop and answers, in that order (ADR 26). The row is the
   * durable record of the acceptance: if the start fails, the row stays and the reconciliation
   * sweep starts the workflow (same id), so no row stays without a workflow and no workflow runs
   * without a row. Retries with the same idempotency key get the same job; a tenant with a live
   * environment gets a 409.
   */
  async submit(input: ProvisionRequestInput, opts: SubmitOptions): Promise<SubmitAccepted> {
    const request = normalizeRequest(input, Date.now());
    const tenants = opts.principal?.tenants;
    if (!mayActFor(tenants, request.tenant_id)) {
      throw new DomainError('FORBIDDEN', 'This key may not act for this tenant', [
        { field: 'tenant_id', reason: 'is not one of the tenants this key may act for' },
      ]);
    }
    const requestId = opts.idempotencyKey ?? input.request_id ?? null;
    // Keyed (ADR 20); the others are how an earlier acceptance may have stored it.
    const requestHashes = requestHashesOf(input, this.config.encryptionKeys);
    const requestHash = requestHashes[0];
    if (requestId) {
      const earlier = await this.replayOf(requestId, requestHashes, tenants);
      if (earlier) return earlier;
    }

    this.logUnknownDescriptiveValues(request);
    const jobId = randomUUID();
    const workflowId = provisioningWorkflowId(request.tenant_id);
    const estimate = await this.estimatedSeconds(request.poc_config.poc_tier);
    const newJob = {
      jobId,
      workflowId,
      request,
      requestId,
      requestHash,
      requestedBy: opts.principal?.id ?? null,
      estimatedDurationSeconds: estimate,
    };
    // The database decides every race (unique request_id, one live job per tenant, one live
    // job per slug); a refused insert is then explained by the row that holds what was asked.
    // A holder can stop holding between the two (its job ended): then try again.
    for (let attempt = 1; !(await this.writer.insertQueued(newJob)); attempt++) {
      const earlier = requestId ? await this.replayOf(requestId, requestHashes, tenants) : null;
      if (earlier) return earlier;
      await this.throwIfHeld(request.tenant_id, request.tenant_slug, tenants);
      if (attempt >= 3) throw new DomainError('DEPENDENCY_UNAVAILABLE', 'The request conflicted; try again');
    }

    // The row is committed: the answer goes out now, the workflow is started off the request
    // path (ADR 26); if that start cannot happen, the reconciliation sweep does it (ADR 11).
    this.starts.enqueue(jobId, request);

    this.metrics?.jobSubmitted(request.poc_config.poc_tier, request.priority);
    this.logger.log(`accepted job ${jobId} for tenant ${request.tenant_slug}`);
    return this.accepted(jobId, 'queued', estimate, QUEUED_MESSAGE);
  }

  /**
   * The answer for a request already accepted under `requestId`; a different request under it is
   * refused. Idempotency keys are global: the refusal names the job only to a caller who may see it.
   */
  private async replayOf(
    requestId: string,
    requestHashes: string[],
    tenants: TenantSet,
  ): Promise<SubmitAccepted | null> {
    const found = await this.reader.findByRequestId(requestId);
    if (!found) return null;
    const visible = mayActFor(tenants, found.job.tenantId);
    // No hash: none was stored, or it went with the personal data it was made from (purge).
    if (!visible || (found.requestHash !== null && !requestHashes.includes(found.requestHash))) {
      throw new DomainError(
        'IDEMPOTENCY_KEY_REUSED',
        'This idempotency key was used for a different request',
        [{ field: 'Idempotency-Key', reason: 'was used for a different request' }],
        { job_id: visible ? found.job.jobId : null },
      );
    }
    return this.accepted(
      found.job.jobId,
      found.job.status,
      found.job.estimatedDurationSeconds,
      'Provisioning request already accepted',
    );
  }

  /** The seed's submit answer (a relative progress_tracking_url, a Go duration), then the added fields. */
  private accepted(jobId: string, status: JobStatus, estimate: number | null, message: string): SubmitAccepted {
    const seconds = estimate ?? 0;
    const path = `/api/v1/provisioning/status/${jobId}`;
    return {
      success: true,
      message,
      job_id: jobId,
      status,
      estimated_duration: goDuration(seconds),
      progress_tracking_url: path,
      estimated_duration_seconds: seconds,
      progress_tracking_absolute_url: `${this.config.http.publicBaseUrl.replace(/\/+$/, '')}${path}`,
    };
  }

  /** Median observed time to ready of the tier, or the typical time before there is any. */
  private async estimatedSeconds(tier: PocTier): Promise<number> {
    return (await this.reader.observedDurationSeconds(tier)) ?? typicalSeconds(tier);
  }

  /** One page of jobs, newest first: of the caller's tenants only. */
  async list(q: JobListQuery, tenants?: TenantSet): Promise<JobList> {
    const page = await this.reader.listJobs({
      tenantId: q.tenant_id,
      tenants,
      statuses: q.status,
      tier: q.tier,
      createdFrom: q.created_from,
      createdTo: q.created_to,
      after: q.cursor ? decodeCursor(q.cursor) : undefined,
      limit: q.limit,
    });
    return {
      success: true as const,
      jobs: page.jobs.map(toJobSummary),
      next_cursor: page.next ? encodeCursor(page.next) : null,
    };
  }

  /** The job's step history. */
  async events(jobId: string, tenants?: TenantSet): Promise<JobEvents> {
    if (!(await this.reader.findJob(jobId, tenants))) throw jobNotFound(jobId);
    return { success: true as const, job_id: jobId, events: (await this.reader.events(jobId)).map(toEventView) };
  }

  /** The job's status as the read model knows it; a job of a tenant outside `tenants` is not found. */
  async status(jobId: string, tenants?: TenantSet): Promise<StatusView> {
    const job = await this.reader.findJob(jobId, tenants);
    if (!job) throw jobNotFound(jobId);
    return toStatusView(job);
  }

  /** Opens a job's sealed credentials; only the credentials endpoint calls this. */
  async credentials(
    jobId: string,
    principal: Principal,
    requestId: string | null,
  ): Promise<{ success: true; job_id: string; credentials: AccessCredentials }> {
    const sealed = await this.reader.findSealedCredentials(jobId, principal.tenants);
    if (sealed === undefined) throw jobNotFound(jobId);
    if (sealed === null) {
      throw new DomainError('CREDENTIALS_NOT_AVAILABLE', 'No credentials have been issued for this job yet', [], {
        job_id: jobId,
      });
    }
    const credentials = JSON.parse(
      this.credentialsBox.open(Buffer.from(sealed, 'base64'), jobId).toString('utf8'),
    ) as AccessCredentials;
    await this.writer.recordCredentialRead(jobId, principal.id, requestId);
    this.logger.log(`credentials of job ${jobId} were read by ${principal.id}`);
    return { success: true, job_id: jobId, credentials };
  }

  /**
   * Refuses a request whose tenant has a live job, or whose slug a live job of another tenant
   * holds. The holder of a slug is named only to a caller who may see its tenant.
   */
  private async throwIfHeld(tenantId: string, tenantSlug: string, tenants: TenantSet): Promise<void> {
    const live = await this.reader.findLiveJobOfTenant(tenantId);
    if (live) throw this.alreadyActive(live.jobId, live.status);
    const slugHolder = await this.reader.findLiveJobOfSlug(tenantSlug);
    if (slugHolder) {
      const visible = mayActFor(tenants, slugHolder.tenantId);
      throw new DomainError(
        'TENANT_SLUG_TAKEN',
        'This tenant_slug belongs to a live environment of another tenant',
        [{ field: 'tenant_slug', reason: 'is held by a live environment of another tenant' }],
        { job_id: visible ? slugHolder.jobId : null, status: visible ? slugHolder.status : null },
      );
    }
  }

  private alreadyActive(jobId: string | undefined, status: JobStatus | undefined): DomainError {
    return new DomainError(
      'ENVIRONMENT_ALREADY_ACTIVE',
      'This tenant already has a live environment',
      [{ field: 'tenant_id', reason: 'has a live environment' }],
      { job_id: jobId ?? null, status: status ?? null },
    );
  }

  /** Descriptive values outside the catalogue are accepted; they are logged so it can be completed. */
  private logUnknownDescriptiveValues(request: ProvisionRequest): void {
    const unknown = unknownDescriptiveValues(request, this.config.requestCatalogue);
    if (unknown.length > 0) {
      // The values are the caller's: each bounded, so a long one cannot make a long line.
      const list = unknown.map((u) => `${u.field}: ${boundedText(u.reason)}`).join('; ');
      this.logger.warn(`tenant ${request.tenant_id}: accepted values outside the catalogue (${list})`);
    }
  }
}

export function jobNotFound(jobId: string): DomainError {
  return new DomainError('JOB_NOT_FOUND', `No provisioning job ${jobId}`, [], { job_id: jobId });
}

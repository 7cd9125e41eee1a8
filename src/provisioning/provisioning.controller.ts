import {
  Body,
  Controller,
  Get,
  Header,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { RequireScope } from '../auth/require-scope.decorator';
import type { Principal } from '../auth/scopes';
import { DomainError } from '../domain/domain-error';
import { AnsweredRequestId } from '../logging/answered-request-id.decorator';
import { JobLogContextInterceptor } from '../logging/job-log-context.interceptor';
import { ExtendJobDto, StopJobDto } from './dto/job-control.dto';
import { JobListQuery } from './dto/job-list.query';
import { ProvisionRequestDto } from './dto/provision-request.dto';
import { JobControlService } from './job-control.service';
import { ErrorResponse, JobCredentials, JobEvents, JobList, JobStatusView, SubmitAccepted } from '../openapi/responses';
import { ProvisioningService } from './provisioning.service';

const jobIdPipe = new ParseUUIDPipe({
  exceptionFactory: () =>
    new DomainError('VALIDATION_FAILED', 'job_id must be a UUID', [{ field: 'job_id', reason: 'must be a UUID' }]),
});

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;

/** The key a caller retries under; a malformed one is refused rather than ignored. */
function idempotencyKey(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(raw)) {
    throw new DomainError('VALIDATION_FAILED', 'Invalid request: Idempotency-Key', [
      { field: 'Idempotency-Key', reason: 'must be 8-128 letters, digits, or . _ : -' },
    ]);
  }
  return raw;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const ok = (status: number, type: new () => unknown, description: string) => ApiResponse({ status, description, type });
const err = (status: number, description: string) => ApiResponse({ status, description, type: ErrorResponse });
/** A job of a tenant the key may not act for is not found either, so that ids cannot be probed (ADR 0019). */
const NO_SUCH_JOB = 'no such job, or one of a tenant the key may not act for';
const JOB_ID = ApiParam({ name: 'job_id', format: 'uuid', description: 'the job_id of an accepted request' });

@ApiTags('provisioning')
@err(401, 'no or invalid API key / JWT')
@err(429, 'rate limit of the key exceeded')
// The job a request is about, on its log lines; only these routes carry a job (not health, metrics, codec).
@UseInterceptors(JobLogContextInterceptor)
@Controller('api/v1/provisioning')
export class ProvisioningController {
  constructor(
    private readonly provisioning: ProvisioningService,
    private readonly control: JobControlService,
  ) {}

  @ApiOperation({ summary: 'Request a POC environment for a tenant' })
  @ApiBody({ schema: ref('ProvisionRequestDto') })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'retries with the same key get the same job' })
  @ok(202, SubmitAccepted, 'accepted (or already accepted under this key)')
  @err(400, 'invalid request: every bad field named')
  @err(403, 'the key lacks the provision scope, or may not act for tenant_id (a tenant-scoped key)')
  @err(
    409,
    "the tenant has a live environment (ENVIRONMENT_ALREADY_ACTIVE) or another tenant's live environment holds the slug (TENANT_SLUG_TAKEN); job_id and status name the holder",
  )
  @err(422, 'the idempotency key was used for a different request')
  @Post('provision')
  @HttpCode(202)
  @RequireScope('provision')
  provision(
    @Body() body: ProvisionRequestDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<SubmitAccepted> {
    return this.provisioning.submit(body, { idempotencyKey: idempotencyKey(key), principal });
  }

  @ApiOperation({ summary: 'Status of a job, and what may be done with it now' })
  @JOB_ID
  @ok(200, JobStatusView, 'the job as the read model knows it')
  @err(404, NO_SUCH_JOB)
  @Get('status/:job_id')
  status(@Param('job_id', jobIdPipe) jobId: string, @CurrentPrincipal() principal: Principal): Promise<JobStatusView> {
    return this.provisioning.status(jobId, principal.tenants);
  }

  @ApiOperation({ summary: "List jobs, newest first (keyset pagination); a tenant-scoped key sees its tenants' only" })
  @ApiQuery({ name: 'tenant_id', required: false, schema: { type: 'string', format: 'uuid' } })
  @ApiQuery({ name: 'status', required: false, description: 'one status or several, comma-separated' })
  @ApiQuery({ name: 'tier', required: false, enum: ['standard', 'professional', 'enterprise'] })
  @ApiQuery({ name: 'created_from', required: false, schema: { type: 'string', format: 'date-time' } })
  @ApiQuery({ name: 'created_to', required: false, schema: { type: 'string', format: 'date-time' } })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } })
  @ApiQuery({ name: 'cursor', required: false, description: 'next_cursor of the previous page' })
  @ok(200, JobList, 'one page of jobs')
  @err(400, 'invalid filter or cursor')
  @Get('jobs')
  list(@Query() query: JobListQuery, @CurrentPrincipal() principal: Principal): Promise<JobList> {
    return this.provisioning.list(query, principal.tenants);
  }

  @ApiOperation({ summary: "The job's step history (audit log)" })
  @JOB_ID
  @ok(200, JobEvents, 'every step, oldest first')
  @err(404, NO_SUCH_JOB)
  @Get('jobs/:job_id/events')
  events(@Param('job_id', jobIdPipe) jobId: string, @CurrentPrincipal() principal: Principal): Promise<JobEvents> {
    return this.provisioning.events(jobId, principal.tenants);
  }

  @ApiOperation({ summary: 'Move the expiry later (within the tier maximum, counted from creation)' })
  @JOB_ID
  @ApiBody({ schema: ref('ExtendJobDto') })
  @ok(200, JobStatusView, 'the job with its new expiry')
  @err(400, 'expires_at not later, or beyond the tier maximum')
  @err(404, NO_SUCH_JOB)
  @err(409, 'the job is not in a state that can be extended')
  @Post('jobs/:job_id/extend')
  @HttpCode(200)
  @RequireScope('provision')
  extend(
    @Param('job_id', jobIdPipe) jobId: string,
    @Body() body: ExtendJobDto,
    @CurrentPrincipal() principal: Principal,
    @AnsweredRequestId() requestId: string | null,
  ): Promise<JobStatusView> {
    return this.control.extend(jobId, body.expires_at, { principal: principal.id, requestId }, principal.tenants);
  }

  @ApiOperation({ summary: 'Destroy a ready environment now, or retry a destroy that failed or left resources' })
  @JOB_ID
  @ApiBody({ schema: ref('StopJobDto'), required: false })
  @ok(
    202,
    JobStatusView,
    'destroy requested; status moves to destroying, then destroyed (or destroy_failed, destroy_incomplete)',
  )
  @err(404, NO_SUCH_JOB)
  @err(
    409,
    'the environment is neither ready, destroy_failed nor destroy_incomplete (cancel a job that is provisioning)',
  )
  @Post('jobs/:job_id/destroy')
  @HttpCode(202)
  @RequireScope('provision')
  destroy(
    @Param('job_id', jobIdPipe) jobId: string,
    @Body() body: StopJobDto,
    @CurrentPrincipal() principal: Principal,
    @AnsweredRequestId() requestId: string | null,
  ): Promise<JobStatusView> {
    return this.control.destroy(jobId, body.reason, { principal: principal.id, requestId }, principal.tenants);
  }

  @ApiOperation({ summary: 'Cancel a job that is queued or provisioning; what was created is destroyed' })
  @JOB_ID
  @ApiBody({ schema: ref('StopJobDto'), required: false })
  @ok(202, JobStatusView, 'cancellation requested; status ends cancelled')
  @err(404, NO_SUCH_JOB)
  @err(409, 'the job is not cancellable (destroy a ready environment instead)')
  @Post('jobs/:job_id/cancel')
  @HttpCode(202)
  @RequireScope('provision')
  cancel(
    @Param('job_id', jobIdPipe) jobId: string,
    @Body() body: StopJobDto,
    @CurrentPrincipal() principal: Principal,
    @AnsweredRequestId() requestId: string | null,
  ): Promise<JobStatusView> {
    return this.control.cancel(jobId, body.reason, { principal: principal.id, requestId }, principal.tenants);
  }

  @ApiOperation({ summary: "The environment's access credentials (credentials scope; every read is audited)" })
  @JOB_ID
  @ok(200, JobCredentials, 'the credentials; never cached')
  @err(403, 'the key lacks the credentials scope')
  @err(404, NO_SUCH_JOB)
  @err(409, 'no credentials issued yet')
  /** The environment's access credentials: the only answer that carries them (audited). */
  @Get('jobs/:job_id/credentials')
  @Header('Cache-Control', 'no-store')
  @RequireScope('credentials')
  credentials(
    @Param('job_id', jobIdPipe) jobId: string,
    @CurrentPrincipal() principal: Principal,
    @AnsweredRequestId() requestId: string | null,
  ): Promise<JobCredentials> {
    return this.provisioning.credentials(jobId, principal, requestId);
  }
}

import { Body, Controller, Get, Header, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { RequireScope } from '../auth/require-scope.decorator';
import type { Principal } from '../auth/scopes';
import { DomainError } from '../domain/domain-error';
import { ExtendJobDto, StopJobDto } from './dto/job-control.dto';
import { JobListQuery } from './dto/job-list.query';
import { ProvisionRequestDto } from './dto/provision-request.dto';
import { JobControlService } from './job-control.service';
import type { StatusView } from './job-status.view';
import { ProvisioningService, type SubmitAccepted } from './provisioning.service';

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

@Controller('api/v1/provisioning')
export class ProvisioningController {
  constructor(
    private readonly provisioning: ProvisioningService,
    private readonly control: JobControlService,
  ) {}

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

  @Get('status/:job_id')
  status(@Param('job_id', jobIdPipe) jobId: string): Promise<StatusView> {
    return this.provisioning.status(jobId);
  }

  @Get('jobs')
  list(@Query() query: JobListQuery) {
    return this.provisioning.list(query);
  }

  @Get('jobs/:job_id/events')
  events(@Param('job_id', jobIdPipe) jobId: string) {
    return this.provisioning.events(jobId);
  }

  @Post('jobs/:job_id/extend')
  @HttpCode(200)
  @RequireScope('provision')
  extend(@Param('job_id', jobIdPipe) jobId: string, @Body() body: ExtendJobDto): Promise<StatusView> {
    return this.control.extend(jobId, body.expires_at);
  }

  @Post('jobs/:job_id/destroy')
  @HttpCode(202)
  @RequireScope('provision')
  destroy(@Param('job_id', jobIdPipe) jobId: string, @Body() body: StopJobDto): Promise<StatusView> {
    return this.control.destroy(jobId, body.reason);
  }

  @Post('jobs/:job_id/cancel')
  @HttpCode(202)
  @RequireScope('provision')
  cancel(@Param('job_id', jobIdPipe) jobId: string, @Body() body: StopJobDto): Promise<StatusView> {
    return this.control.cancel(jobId, body.reason);
  }

  /** The environment's access credentials: the only answer that carries them (audited). */
  @Get('jobs/:job_id/credentials')
  @Header('Cache-Control', 'no-store')
  @RequireScope('credentials')
  credentials(
    @Param('job_id', jobIdPipe) jobId: string,
    @CurrentPrincipal() principal: Principal,
    @Headers('x-request-id') requestId: string | undefined,
  ) {
    return this.provisioning.credentials(jobId, principal, requestId?.slice(0, 128) ?? null);
  }
}

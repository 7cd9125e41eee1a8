import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { DomainError } from '../domain/domain-error';
import { ProvisionRequestDto } from './dto/provision-request.dto';
import { ProvisioningService, type SubmitAccepted } from './provisioning.service';
import type { StatusView } from './job-status.view';

const jobIdPipe = new ParseUUIDPipe({
  exceptionFactory: () =>
    new DomainError('VALIDATION_FAILED', 'job_id must be a UUID', [{ field: 'job_id', reason: 'must be a UUID' }]),
});

@Controller('api/v1/provisioning')
export class ProvisioningController {
  constructor(private readonly provisioning: ProvisioningService) {}

  @Post('provision')
  @HttpCode(202)
  provision(@Body() body: ProvisionRequestDto): Promise<SubmitAccepted> {
    return this.provisioning.submit(body);
  }

  /** The environment's access credentials: the only answer that carries them. */
  @Get('jobs/:job_id/credentials')
  @Header('Cache-Control', 'no-store')
  credentials(@Param('job_id', jobIdPipe) jobId: string) {
    return this.provisioning.credentials(jobId);
  }

  @Get('status/:job_id')
  status(@Param('job_id', jobIdPipe) jobId: string): Promise<StatusView> {
    return this.provisioning.status(jobId);
  }
}

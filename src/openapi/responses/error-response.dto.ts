import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { JobStatus } from '../../domain/job-status';
import { JOB_STATUS_ENUM } from './api-enums';
import { JobActions } from './job-status-view.dto';

/** One field a request got wrong, and why. */
export class ErrorDetail {
  @ApiProperty({ example: 'poc_config.expires_at', description: 'the field, as a dotted path into the body' })
  field!: string;

  @ApiProperty({ example: 'must be at most 30 days after now' })
  reason!: string;
}

/** What went wrong; codes are stable, messages are for people. Some codes add fields (e.g. job_id). */
export class ErrorBody {
  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'a stable code (DomainError codes and HTTP ones)' })
  code!: string;

  @ApiProperty()
  message!: string;

  @ApiProperty({ type: () => [ErrorDetail] })
  details!: ErrorDetail[];

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      'the job concerned: the live one (ENVIRONMENT_ALREADY_ACTIVE), the one accepted under the key ' +
      '(IDEMPOTENCY_KEY_REUSED), the one asked about (JOB_NOT_FOUND, INVALID_STATE)',
  })
  job_id?: string | null;

  @ApiPropertyOptional({ ...JOB_STATUS_ENUM, nullable: true })
  status?: JobStatus | null;

  @ApiPropertyOptional({ type: () => JobActions, description: 'INVALID_STATE: what may be done with the job now' })
  actions?: JobActions;

  @ApiPropertyOptional({ example: 'provision', description: 'FORBIDDEN: the scope the key lacks' })
  required_scope?: string;

  [extra: string]: unknown;
}

/** The one JSON shape of every 4xx and 5xx answer. */
export class ErrorResponse {
  @ApiProperty({ enum: [false] })
  success!: false;

  @ApiProperty({ type: () => ErrorBody })
  error!: ErrorBody;
}

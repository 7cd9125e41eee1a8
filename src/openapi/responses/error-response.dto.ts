import { ApiProperty } from '@nestjs/swagger';

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

  [extra: string]: unknown;
}

/** The one JSON shape of every 4xx and 5xx answer. */
export class ErrorResponse {
  @ApiProperty({ enum: [false] })
  success!: false;

  @ApiProperty({ type: () => ErrorBody })
  error!: ErrorBody;
}

import { ApiProperty } from '@nestjs/swagger';
import type { JobStatus } from '../../domain/job-status';
import { JOB_STATUS_ENUM, UUID } from './api-enums';

/**
 * The answer of POST /provisioning/provision (202): the seed's answer field for field, plus
 * added fields after them. A retry under the same idempotency key gets the same job's answer.
 */
export class SubmitAccepted {
  @ApiProperty({ enum: [true] })
  success!: true;

  @ApiProperty({
    example: 'Provisioning job queued successfully',
    description: '"Provisioning job queued successfully" for a new job',
  })
  message!: string;

  @ApiProperty(UUID)
  job_id!: string;

  // `queued` for a new job; the job's current status for a replay under the same key.
  @ApiProperty(JOB_STATUS_ENUM)
  status!: JobStatus;

  @ApiProperty({
    example: '30m0s',
    pattern: '^-?([0-9]+(\\.[0-9]+)?(ns|µs|ms|s|m|h))+$',
    description: "expected time to ready, as Go's time.Duration text (time.ParseDuration reads it)",
  })
  estimated_duration!: string;

  @ApiProperty({
    example: '/api/v1/provisioning/status/123e4567-e89b-12d3-a456-426614174000',
    description: "the status path of the job, relative to the API's origin",
  })
  progress_tracking_url!: string;

  @ApiProperty({ type: 'integer', minimum: 0, example: 1800, description: 'added: estimated_duration in seconds' })
  estimated_duration_seconds!: number;

  @ApiProperty({
    format: 'uri',
    example: 'http://localhost:8081/api/v1/provisioning/status/123e4567-e89b-12d3-a456-426614174000',
    description: 'added: progress_tracking_url made absolute with PUBLIC_BASE_URL',
  })
  progress_tracking_absolute_url!: string;
}

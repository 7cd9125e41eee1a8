import { ApiProperty } from '@nestjs/swagger';
import type { JobStatus } from '../../domain/job-status';
import { INSTANT, JOB_STATUS_ENUM, UUID } from './api-enums';
import { JobActions } from './job-status-view.dto';

/** One job in the job list: the status without the heavy parts. */
export class JobSummary {
  @ApiProperty(UUID)
  job_id!: string;

  @ApiProperty(UUID)
  tenant_id!: string;

  @ApiProperty()
  tenant_slug!: string;

  @ApiProperty({ enum: ['standard', 'professional', 'enterprise'] })
  poc_tier!: string;

  @ApiProperty({ enum: ['low', 'standard', 'high', 'critical'] })
  priority!: string;

  @ApiProperty(JOB_STATUS_ENUM)
  status!: JobStatus;

  @ApiProperty({ type: String, nullable: true })
  current_step!: string | null;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100 })
  progress_percent!: number;

  @ApiProperty(INSTANT)
  expires_at!: string;

  @ApiProperty(INSTANT)
  created_at!: string;

  @ApiProperty({ type: () => JobActions })
  actions!: JobActions;
}

/** One page of GET /provisioning/jobs, newest first. */
export class JobList {
  @ApiProperty({ enum: [true] })
  success!: true;

  @ApiProperty({ type: () => [JobSummary] })
  jobs!: JobSummary[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'pass as `cursor` for the next page; null on the last page',
  })
  next_cursor!: string | null;
}

/** One step of a job's history. */
export class JobEvent {
  @ApiProperty({ type: 'integer', minimum: 0 })
  seq!: number;

  @ApiProperty(JOB_STATUS_ENUM)
  status!: JobStatus;

  @ApiProperty({ example: 'tofu_apply' })
  step!: string;

  @ApiProperty({ type: String, nullable: true })
  message!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true })
  details!: Record<string, unknown>;

  @ApiProperty(INSTANT)
  at!: string;
}

/** The answer of GET /provisioning/jobs/{job_id}/events: every step, oldest first. */
export class JobEvents {
  @ApiProperty({ enum: [true] })
  success!: true;

  @ApiProperty(UUID)
  job_id!: string;

  @ApiProperty({ type: () => [JobEvent] })
  events!: JobEvent[];
}

/** What the tenant logs in with. */
export class AccessCredentials {
  @ApiProperty()
  username!: string;

  @ApiProperty({ format: 'password' })
  password!: string;

  @ApiProperty({ format: 'password' })
  api_token!: string;

  @ApiProperty(INSTANT)
  issued_at!: string;
}

/** The answer of GET /provisioning/jobs/{job_id}/credentials (never cached; every read audited). */
export class JobCredentials {
  @ApiProperty({ enum: [true] })
  success!: true;

  @ApiProperty(UUID)
  job_id!: string;

  @ApiProperty({ type: () => AccessCredentials })
  credentials!: AccessCredentials;
}

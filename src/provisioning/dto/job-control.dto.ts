import { IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsFutureInstant } from './is-future-instant.validator';

/** Body of POST /jobs/:job_id/extend. */
export class ExtendJobDto {
  @IsISO8601({ strict: true, strictSeparator: true })
  @IsFutureInstant(60)
  expires_at!: string;
}

/** Body of POST /jobs/:job_id/destroy and /cancel (optional). */
export class StopJobDto {
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

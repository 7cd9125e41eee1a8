import { IsOptional, IsString, MaxLength } from 'class-validator';
import { FreeText } from '../../validation/storable-text';
import { IsFutureInstant } from './is-future-instant.validator';
import { IsInstant } from './is-instant.validator';

/** Body of POST /jobs/:job_id/extend. */
export class ExtendJobDto {
  @IsInstant()
  @IsFutureInstant(60)
  expires_at!: string;
}

/** Body of POST /jobs/:job_id/destroy and /cancel (optional). */
export class StopJobDto {
  /** Free text (tab, CR, LF allowed; no other control characters), at most 500 characters. */
  @FreeText()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

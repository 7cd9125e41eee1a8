import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, Min } from 'class-validator';
import { JOB_STATUSES, type JobStatus } from '../../domain/job-status';
import { POC_TIERS } from '../../domain/poc-tier';
import { IsInstant } from './is-instant.validator';

/** Query of GET /jobs: filters, page size and the cursor of the previous page. */
export class JobListQuery {
  @IsOptional()
  @IsUUID()
  tenant_id?: string;

  /** One status or several, comma-separated. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',') : value))
  @IsIn(JOB_STATUSES, { each: true })
  status?: JobStatus[];

  @IsOptional()
  @IsIn(POC_TIERS)
  tier?: string;

  @IsOptional()
  @IsInstant()
  created_from?: string;

  @IsOptional()
  @IsInstant()
  created_to?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  /** Opaque: the `next_cursor` of the previous page. */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,512}$/, {
    message: 'cursor must be the next_cursor of a previous page: base64url, at most 512 characters',
  })
  cursor?: string;
}

import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, Min } from 'class-validator';
import { JOB_STATUSES, type JobStatus } from '../../domain/job-status';
import { POC_TIERS } from '../../domain/poc-tier';

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
  @IsISO8601({ strict: true })
  created_from?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
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
  cursor?: string;
}

import { Transform, Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { POC_TIERS, PRIORITIES, type PocTier, type Priority } from '../../domain/poc-tier';
import type { ProvisionRequest } from '../../domain/provision-request';
import { IsFutureInstant } from './is-future-instant.validator';

/** DNS label: it becomes resource names and paths. */
export const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export class CompanyInfoDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  company_name!: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  industry_vertical?: string;

  @IsOptional()
  @IsString()
  @MaxLength(50)
  company_size?: string;

  @IsOptional()
  @IsISO31661Alpha2()
  headquarters_country?: string;

  @IsOptional()
  @IsEmail()
  contact_email?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  contact_name?: string;
}

export class PocConfigDto {
  @IsIn(POC_TIERS)
  poc_tier!: PocTier;

  @IsISO8601({ strict: true, strictSeparator: true })
  @IsFutureInstant(60)
  expires_at!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(90)
  poc_duration_days?: number;
}

/** The body of POST /api/v1/provisioning/provision. Unknown fields are rejected. */
export class ProvisionRequestDto implements ProvisionRequest {
  // One tenant, one spelling: the id names the workflow and the state schema.
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsUUID()
  tenant_id!: string;

  @IsString()
  @Matches(DNS_LABEL, {
    message:
      'tenant_slug must be a DNS label: lowercase letters, digits and hyphens, 1-63 characters, no leading or trailing hyphen',
  })
  tenant_slug!: string;

  @IsObject()
  @ValidateNested()
  @Type(() => CompanyInfoDto)
  company_info!: CompanyInfoDto;

  @IsObject()
  @ValidateNested()
  @Type(() => PocConfigDto)
  poc_config!: PocConfigDto;

  // Absent means standard; an explicit null is refused like any other value outside the set.
  @ValidateIf((_o, value) => value !== undefined)
  @IsIn(PRIORITIES)
  priority: Priority = 'standard';
}

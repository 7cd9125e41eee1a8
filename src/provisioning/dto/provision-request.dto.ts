import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  IsPositive,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { POC_TIERS, PRIORITIES, type PocTier, type Priority } from '../../domain/poc-tier';
import {
  DATA_RESIDENCY_REGIONS,
  DESCRIPTIVE_VALUE,
  DESCRIPTIVE_VALUE_RULE,
  MAX_DESCRIPTIVE_LIST,
  NETWORK_ISOLATION_LEVELS,
  type DataResidencyRegion,
  type NetworkIsolationLevel,
} from '../../domain/request-vocabulary';
import { FreeText } from '../../validation/storable-text';
import { IsFutureInstant } from './is-future-instant.validator';
import { IsInstant } from './is-instant.validator';

/** A descriptive value (docs/api.md, "Request fields"): any value of the safe shape, known or not. */
const Descriptive = (each = false) =>
  Matches(DESCRIPTIVE_VALUE, { each, message: `$property ${each ? 'entries ' : ''}${DESCRIPTIVE_VALUE_RULE}` });

/** A list of descriptive values: unique, at most MAX_DESCRIPTIVE_LIST entries. */
function DescriptiveList(): PropertyDecorator {
  return (target, key) => {
    for (const d of [
      IsArray(),
      ArrayUnique(),
      ArrayMaxSize(MAX_DESCRIPTIVE_LIST),
      IsString({ each: true }),
      Descriptive(true),
    ]) {
      d(target, key);
    }
  };
}

/** DNS label: it becomes resource names and paths. */
export const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export class CompanyInfoDto {
  /** Free text (tab, CR, LF allowed; no other control characters). */
  @FreeText()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  company_name!: string;

  @IsOptional()
  @IsString()
  @Descriptive()
  industry_vertical?: string;

  @IsOptional()
  @IsString()
  @Descriptive()
  company_size?: string;

  @IsOptional()
  @IsISO31661Alpha2()
  headquarters_country?: string;

  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  contact_email?: string;

  /** Free text (tab, CR, LF allowed; no other control characters). */
  @FreeText()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  contact_name?: string;
}

export class ResourceAllocationDto {
  @IsInt()
  @IsPositive()
  cpu_cores!: number;

  @IsInt()
  @IsPositive()
  memory_gb!: number;

  @IsInt()
  @IsPositive()
  storage_gb!: number;

  @IsInt()
  @IsPositive()
  max_users!: number;
}

export class PocConfigDto {
  @IsIn(POC_TIERS)
  poc_tier!: PocTier;

  /** Optional when poc_duration_days is given; then it must agree with it (within a day). */
  @IsOptional()
  @IsInstant()
  @IsFutureInstant(60)
  expires_at?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(90)
  poc_duration_days?: number;

  /** The tenant's product features: descriptive, passed to the stack as `product_features`. */
  @IsOptional()
  @DescriptiveList()
  enabled_features?: string[];

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ResourceAllocationDto)
  resource_allocation?: ResourceAllocationDto;
}

export class SecurityConfigDto {
  @IsOptional()
  @IsString()
  @Descriptive()
  security_clearance?: string;

  @IsIn(DATA_RESIDENCY_REGIONS)
  data_residency_region!: DataResidencyRegion;

  @IsOptional()
  @DescriptiveList()
  compliance_frameworks?: string[];

  @IsIn(NETWORK_ISOLATION_LEVELS)
  network_isolation_level!: NetworkIsolationLevel;

  @IsBoolean()
  encryption_required!: boolean;
}

export class IntegrationConfigDto {
  @IsOptional()
  @IsBoolean()
  main_platform_integration?: boolean;

  @IsOptional()
  @DescriptiveList()
  allowed_data_connectors?: string[];

  @IsOptional()
  @IsBoolean()
  crm_integration_enabled?: boolean;
}

export class MonitoringConfigDto {
  @IsBoolean()
  enabled!: boolean;

  @IsOptional()
  @IsBoolean()
  detailed_monitoring?: boolean;

  @IsOptional()
  @IsBoolean()
  alerting_enabled?: boolean;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  retention_days?: number;
}

/** The body of POST /api/v1/provisioning/provision. Unknown fields are rejected. */
export class ProvisionRequestDto {
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

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SecurityConfigDto)
  security_config?: SecurityConfigDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => IntegrationConfigDto)
  integration_config?: IntegrationConfigDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MonitoringConfigDto)
  monitoring_config?: MonitoringConfigDto;

  /** The caller's id for this request; the Idempotency-Key header takes precedence. */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9._:-]{8,128}$/, { message: 'request_id must be 8-128 letters, digits, or . _ : -' })
  request_id?: string;

  // Absent means standard; an explicit null is refused like any other value outside the set.
  @ValidateIf((_o, value) => value !== undefined)
  @IsIn(PRIORITIES)
  priority: Priority = 'standard';
}

import { Transform, Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
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
  COMPANY_SIZES,
  COMPLIANCE_FRAMEWORKS,
  DATA_CONNECTORS,
  DATA_RESIDENCY_REGIONS,
  NETWORK_ISOLATION_LEVELS,
  POC_FEATURES,
  SECURITY_CLEARANCES,
  type DataResidencyRegion,
  type NetworkIsolationLevel,
  type PocFeature,
} from '../../domain/request-vocabulary';
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
  @IsIn(COMPANY_SIZES)
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
  @IsISO8601({ strict: true, strictSeparator: true })
  @IsFutureInstant(60)
  expires_at?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(90)
  poc_duration_days?: number;

  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(POC_FEATURES, { each: true })
  enabled_features?: PocFeature[];

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ResourceAllocationDto)
  resource_allocation?: ResourceAllocationDto;
}

export class SecurityConfigDto {
  @IsOptional()
  @IsIn(SECURITY_CLEARANCES)
  security_clearance?: string;

  @IsIn(DATA_RESIDENCY_REGIONS)
  data_residency_region!: DataResidencyRegion;

  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(COMPLIANCE_FRAMEWORKS, { each: true })
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
  @IsArray()
  @ArrayUnique()
  @IsIn(DATA_CONNECTORS, { each: true })
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

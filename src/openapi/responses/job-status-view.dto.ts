import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { JobStatus } from '../../domain/job-status';
import { INSTANT, JOB_STATUS_ENUM, UUID } from './api-enums';

/** What a caller may do with a job now, so that no client re-derives the state machine. */
export class JobActions {
  @ApiProperty()
  can_cancel!: boolean;

  @ApiProperty()
  can_extend!: boolean;

  @ApiProperty()
  can_destroy!: boolean;
}

/** The seed's `provisioned_resources`: each resource's name, once the environment is ready (empty before). */
export class ProvisionedResourceNames {
  @ApiPropertyOptional({ example: 'poc-cluster-acme-cybersecurity-inc-a1b2c3d4' })
  gke_cluster?: string;

  @ApiPropertyOptional({ example: 'poc-db-acme-cybersecurity-inc-a1b2c3d4' })
  database_instance?: string;

  @ApiPropertyOptional({ example: 'poc-vpc-acme-cybersecurity-inc-a1b2c3d4' })
  vpc_network?: string;
}

/** The seed's `service_endpoints`: URLs of the environment, once it is ready (empty before). */
export class ServiceEndpoints {
  @ApiPropertyOptional({ format: 'uri', example: 'https://api.acme-cybersecurity-inc-a1b2c3d4.poc.isectech.com' })
  api_endpoint?: string;

  @ApiPropertyOptional({ format: 'uri', example: 'https://acme-cybersecurity-inc-a1b2c3d4.poc.isectech.com' })
  web_interface?: string;

  @ApiPropertyOptional({
    format: 'uri',
    example: 'https://monitoring.acme-cybersecurity-inc-a1b2c3d4.poc.isectech.com',
  })
  monitoring_dashboard?: string;
}

/** The tenant's network. */
export class VpcNetworkDetails {
  @ApiProperty()
  name!: string;

  @ApiPropertyOptional({ example: 'europe-west3' })
  region?: string;

  [more: string]: unknown;
}

/** The tenant's Kubernetes cluster. */
export class GkeClusterDetails {
  @ApiProperty()
  name!: string;

  @ApiPropertyOptional({ format: 'uri' })
  endpoint?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0 })
  node_count?: number;

  @ApiPropertyOptional({ example: 'e2-standard-4' })
  machine_type?: string;

  @ApiPropertyOptional()
  region?: string;

  [more: string]: unknown;
}

/** The tenant's database instance (connection details, never secrets). */
export class DatabaseInstanceDetails {
  @ApiProperty()
  name!: string;

  @ApiPropertyOptional({ example: 'db-custom-2-7680' })
  tier?: string;

  @ApiPropertyOptional()
  connection_name?: string;

  @ApiPropertyOptional({ format: 'ipv4' })
  private_ip?: string;

  [more: string]: unknown;
}

/** Added: what the stack reports of each resource, under the same keys as provisioned_resources. */
export class ResourceDetails {
  @ApiPropertyOptional({ type: () => GkeClusterDetails })
  gke_cluster?: GkeClusterDetails;

  @ApiPropertyOptional({ type: () => DatabaseInstanceDetails })
  database_instance?: DatabaseInstanceDetails;

  @ApiPropertyOptional({ type: () => VpcNetworkDetails })
  vpc_network?: VpcNetworkDetails;
}

/** What tofu's plan said it would do. */
export class PlanSummary {
  @ApiProperty({ type: 'integer', minimum: 0 })
  add!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  change!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  destroy!: number;
}

/** One resource a drift check found changed outside tofu: names only, never values. */
export class DriftedResourceView {
  @ApiProperty({
    example: 'module.poc.localcloud_cluster.gke_cluster',
    description: "the resource's address in the stack",
  })
  address!: string;

  @ApiProperty({ enum: ['update', 'delete'], description: 'update: changed in place; delete: gone from the cloud' })
  action!: 'update' | 'delete';

  @ApiProperty({
    type: [String],
    example: ['labels', 'node_count'],
    description: 'top-level attributes whose value differs from the configuration (empty for a delete)',
  })
  attributes!: string[];
}

/** A live environment that differs from its configuration: since when, and what. */
export class EnvironmentDrift {
  @ApiProperty({ ...INSTANT, description: 'when a drift check first saw this drift' })
  detected_at!: string;

  @ApiProperty({ type: () => [DriftedResourceView] })
  resources!: DriftedResourceView[];
}

/** When the job moved, and how long it took (seconds). */
export class JobTimings {
  @ApiProperty({ ...INSTANT, nullable: true })
  queued_at!: string | null;

  @ApiProperty({ ...INSTANT, nullable: true })
  started_at!: string | null;

  @ApiProperty({ ...INSTANT, nullable: true, description: 'when the environment was ready' })
  completed_at!: string | null;

  @ApiProperty({ type: 'integer', nullable: true, minimum: 0 })
  estimated_duration_seconds!: number | null;

  @ApiProperty({ type: 'integer', nullable: true, minimum: 0, description: 'from start to ready, once ready' })
  actual_duration_seconds!: number | null;
}

/**
 * The answer of GET /provisioning/status/{job_id} (and of extend, destroy and cancel): the seed's
 * fields first (success, job_id, status, message, provisioned_resources, service_endpoints,
 * error_message), then what the engine adds.
 */
export class JobStatusView {
  @ApiProperty({ enum: [true] })
  success!: true;

  @ApiProperty(UUID)
  job_id!: string;

  @ApiProperty(JOB_STATUS_ENUM)
  status!: JobStatus;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'Infrastructure provisioning completed successfully',
    description:
      'what the status means now: "Infrastructure provisioning completed successfully" once completed, ' +
      'else the latest step message',
  })
  message!: string | null;

  @ApiProperty({ type: () => ProvisionedResourceNames })
  provisioned_resources!: ProvisionedResourceNames;

  @ApiProperty({ type: () => ServiceEndpoints })
  service_endpoints!: ServiceEndpoints;

  @ApiProperty({ type: String, nullable: true, description: 'why the job failed or was cancelled; null otherwise' })
  error_message!: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description:
      'added: the failure as the engine classified it (code, retryable, step); null unless failed or cancelled',
  })
  error_details!: Record<string, unknown> | null;

  @ApiProperty(UUID)
  tenant_id!: string;

  @ApiProperty({ example: 'acme-cybersecurity-inc-a1b2c3d4' })
  tenant_slug!: string;

  @ApiProperty({ enum: ['standard', 'professional', 'enterprise'] })
  poc_tier!: string;

  @ApiProperty({ enum: ['low', 'standard', 'high', 'critical'] })
  priority!: string;

  @ApiProperty({ type: String, nullable: true, description: "the latest step's own message" })
  step_message!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'tofu_apply' })
  current_step!: string | null;

  @ApiProperty({ type: 'integer', minimum: 0 })
  completed_steps!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  total_steps!: number;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100 })
  progress_percent!: number;

  @ApiProperty({ type: () => PlanSummary, nullable: true })
  plan_summary!: PlanSummary | null;

  @ApiProperty({ type: () => ResourceDetails, description: 'added: the resources in detail (empty before ready)' })
  resources!: ResourceDetails;

  @ApiProperty({ ...INSTANT, description: 'when the environment is destroyed' })
  expires_at!: string;

  @ApiProperty({ type: () => JobTimings })
  timings!: JobTimings;

  @ApiProperty({ ...INSTANT, nullable: true, description: 'same as timings.queued_at' })
  queued_at!: string | null;

  @ApiProperty({ ...INSTANT, nullable: true, description: 'same as timings.started_at' })
  started_at!: string | null;

  @ApiProperty({ ...INSTANT, nullable: true, description: 'same as timings.completed_at' })
  completed_at!: string | null;

  @ApiProperty(INSTANT)
  updated_at!: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'activity attempts beyond the first' })
  retry_count!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'run artifacts (plan summary, tofu logs) by name → gs:// address, when an artifacts bucket is set',
  })
  artifacts!: Record<string, string>;

  @ApiProperty({ type: () => JobActions })
  actions!: JobActions;

  @ApiProperty({
    type: () => EnvironmentDrift,
    nullable: true,
    description:
      'added: what of the live environment differs from its configuration, found by the periodic drift check; ' +
      'null when nothing does (or once repaired or destroyed)',
  })
  drift!: EnvironmentDrift | null;
}

import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { DriftedResource } from '../domain/drift';
import type { JobStatus } from '../domain/job-status';

/** One provisioning request and what is known of it: the read model behind status queries. */
@Entity({ name: 'provisioning_jobs' })
@Index('idx_jobs_status_created', ['status', 'createdAt'])
@Index('idx_jobs_tenant_status', ['tenantId', 'status'])
@Index('idx_jobs_priority_status_created', ['priority', 'status', 'createdAt'])
export class ProvisioningJobEntity {
  @PrimaryColumn('uuid', { name: 'job_id' })
  jobId!: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Column('varchar', { name: 'tenant_slug', length: 63 })
  tenantSlug!: string;

  @Column('varchar', { name: 'poc_tier', length: 32 })
  pocTier!: string;

  @Column('varchar', { length: 32 })
  status!: JobStatus;

  @Column('varchar', { length: 16 })
  priority!: string;

  @Column('varchar', { name: 'workflow_id', length: 200 })
  workflowId!: string;

  /** The request as accepted, without its personal fields (those are in personal_data). */
  @Column('jsonb', { name: 'request_payload' })
  requestPayload!: Record<string, unknown>;

  /** The request's personal fields, sealed (AES-256-GCM, base64; ADR 20); null once purged. */
  @Column('text', { name: 'personal_data', nullable: true, select: false })
  personalData!: string | null;

  /** When the reconciliation sweep purged the personal fields (environment gone + retention). */
  @Column('timestamptz', { name: 'personal_data_purged_at', nullable: true })
  personalDataPurgedAt!: Date | null;

  @Column('varchar', { name: 'terraform_workspace', length: 500, nullable: true })
  terraformWorkspace!: string | null;

  @Column('jsonb', { name: 'plan_summary', nullable: true })
  planSummary!: Record<string, unknown> | null;

  @Column('varchar', { name: 'current_step', length: 64, nullable: true })
  currentStep!: string | null;

  /** Sequence number of the last step written; a write with a lower one is ignored. */
  @Column('int', { name: 'step_seq', default: 0 })
  stepSeq!: number;

  @Column('int', { name: 'total_steps', default: 0 })
  totalSteps!: number;

  @Column('int', { name: 'completed_steps', default: 0 })
  completedSteps!: number;

  @Column('int', { name: 'progress_percent', default: 0 })
  progressPercent!: number;

  @Column('text', { nullable: true })
  message!: string | null;

  @Column('jsonb', { name: 'provisioned_resources', nullable: true })
  provisionedResources!: Record<string, unknown> | null;

  @Column('jsonb', { name: 'service_endpoints', nullable: true })
  serviceEndpoints!: Record<string, unknown> | null;

  /** Sealed (AES-256-GCM, base64); opened only by the credentials endpoint. */
  @Column('text', { name: 'access_credentials', nullable: true, select: false })
  accessCredentials!: string | null;

  @Column('text', { name: 'error_message', nullable: true })
  errorMessage!: string | null;

  @Column('jsonb', { name: 'error_details', nullable: true })
  errorDetails!: Record<string, unknown> | null;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;

  @Column('timestamptz', { name: 'queued_at' })
  queuedAt!: Date;

  @Column('timestamptz', { name: 'started_at', nullable: true })
  startedAt!: Date | null;

  @Column('timestamptz', { name: 'completed_at', nullable: true })
  completedAt!: Date | null;

  /** The caller's idempotency key (Idempotency-Key header or request_id). */
  @Column('varchar', { name: 'request_id', length: 128, nullable: true })
  requestId!: string | null;

  /** SHA-256 of the request as received: a reused key with another request is refused. */
  @Column('char', { name: 'request_hash', length: 64, nullable: true, select: false })
  requestHash!: string | null;

  /** Who asked: the API key id or the JWT subject. */
  @Column('varchar', { name: 'requested_by', length: 64, nullable: true })
  requestedBy!: string | null;

  @Column('int', { name: 'estimated_duration_seconds', nullable: true })
  estimatedDurationSeconds!: number | null;

  /** Seconds from start to ready, once ready. */
  @Column('int', { name: 'actual_duration_seconds', nullable: true })
  actualDurationSeconds!: number | null;

  /** Activity retries the run needed (attempts beyond the first). */
  @Column('int', { name: 'retry_count', default: 0 })
  retryCount!: number;

  /** When the environment, its workspace and its state were gone. */
  @Column('timestamptz', { name: 'cleanup_completed_at', nullable: true })
  cleanupCompletedAt!: Date | null;

  @Column('jsonb', { default: {} })
  tags!: Record<string, string>;

  /** Links to the run's artifacts (name → gs:// address). */
  @Column('jsonb', { default: {} })
  artifacts!: Record<string, string>;

  /** When a drift check first saw the environment differ from its configuration; null: no drift known. */
  @Column('timestamptz', { name: 'drift_detected_at', nullable: true })
  driftDetectedAt!: Date | null;

  /** What differs (addresses, actions, attribute names; never values); null with no drift known. */
  @Column('jsonb', { name: 'drift_resources', nullable: true })
  driftResources!: DriftedResource[] | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

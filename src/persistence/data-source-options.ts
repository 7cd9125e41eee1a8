import type { DataSourceOptions } from 'typeorm';
import { JobEventEntity } from './job-event.entity';
import { CreateReadModel1764201600000 } from './migrations/1764201600000-create-read-model';
import { AddAccessCredentials1764288000000 } from './migrations/1764288000000-add-access-credentials';
import { AddRunArtifacts1764547200000 } from './migrations/1764547200000-add-run-artifacts';
import { ApiReadModel1764460800000 } from './migrations/1764460800000-api-read-model';
import { AddReconciliationRuns1764374400000 } from './migrations/1764374400000-add-reconciliation-runs';
import { JobStateMachine1764633600000 } from './migrations/1764633600000-job-state-machine';
import { LiveTenantSlug1764640800000 } from './migrations/1764640800000-live-tenant-slug';
import { JobActionAudit1764648000000 } from './migrations/1764648000000-job-action-audit';
import { RateLimitCounters1764662400000 } from './migrations/1764662400000-rate-limit-counters';
import { DestroyIncomplete1764669600000 } from './migrations/1764669600000-destroy-incomplete';
import { EnvironmentDrift1764673200000 } from './migrations/1764673200000-environment-drift';
import { sealPersonalDataMigration } from './migrations/1764655200000-seal-personal-data';
import { ProvisioningJobEntity } from './provisioning-job.entity';

export const entities = [ProvisioningJobEntity, JobEventEntity];
/**
 * The migrations in order. `encryptionKeys` (current first, then retired) let the personal-data
 * migration seal rows that hold personal fields in clear; without them it refuses such rows.
 */
export const migrationsWith = (encryptionKeys?: readonly Buffer[]) => [
  CreateReadModel1764201600000,
  AddAccessCredentials1764288000000,
  AddReconciliationRuns1764374400000,
  ApiReadModel1764460800000,
  AddRunArtifacts1764547200000,
  JobStateMachine1764633600000,
  LiveTenantSlug1764640800000,
  JobActionAudit1764648000000,
  sealPersonalDataMigration(encryptionKeys),
  RateLimitCounters1764662400000,
  DestroyIncomplete1764669600000,
  EnvironmentDrift1764673200000,
];

/** TypeORM options for the read model. The schema comes from migrations only, never synchronize. */
export function dataSourceOptions(url: string, opts: { encryptionKeys?: readonly Buffer[] } = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations: migrationsWith(opts.encryptionKeys),
    synchronize: false,
    migrationsRun: false,
    extra: { max: 10, application_name: 'poc-provisioning-engine' },
  };
}

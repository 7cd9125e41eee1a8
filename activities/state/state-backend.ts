import { stateSchemaName } from '../../src/domain/workflow-ids';
import { stateConnectionString } from '../tofu/state-connection-string';
import { ensureTenantState } from './pg-tenant-state';

/** Where tofu keeps a tenant's state: a schema in Postgres, or a prefix in a GCS bucket. */
export type StateBackendConfig =
  | { kind: 'pg'; databaseUrl: string }
  | {
      kind: 'gcs';
      bucket: string;
      /** Tenants' state lives under `<prefix>/<tenant_id>/`. */
      prefix: string;
      /** A GCS emulator (fake-gcs-server) instead of Google Cloud: no credentials are sent. */
      emulatorEndpoint?: string;
    };

/** How one tofu run is pointed at its tenant's state. */
export interface StateBackendSetup {
  /** Variables that configure the backend (nothing secret goes on argv or disk). */
  env: Record<string, string>;
  /** `-backend-config` arguments of init. */
  initArgs: string[];
  /** An override file replacing the stack's `backend` block: the engine's backend wins. */
  backendOverride: string;
}

export const BACKEND_OVERRIDE_FILE = 'backend_override.tf';

/** The tenant's GCS state prefix. */
export function gcsStatePrefix(prefix: string, tenantId: string): string {
  return `${prefix.replace(/\/+$/, '')}/${tenantId.toLowerCase()}`;
}

export function stateBackendSetup(cfg: StateBackendConfig, tenantId: string): StateBackendSetup {
  switch (cfg.kind) {
    case 'pg':
      return {
        env: {
          PG_CONN_STR: stateConnectionString(cfg.databaseUrl),
          PG_SCHEMA_NAME: stateSchemaName(tenantId),
          // prepareStateBackend made them: creating them takes a lock every tenant shares.
          PG_SKIP_SCHEMA_CREATION: 'true',
          PG_SKIP_TABLE_CREATION: 'true',
          PG_SKIP_INDEX_CREATION: 'true',
        },
        initArgs: [],
        backendOverride: 'terraform {\n  backend "pg" {}\n}\n',
      };
    case 'gcs':
      return {
        env: cfg.emulatorEndpoint
          ? {
              GOOGLE_BACKEND_STORAGE_CUSTOM_ENDPOINT: `${cfg.emulatorEndpoint.replace(/\/+$/, '')}/storage/v1/`,
              // The emulator checks no token, but the client must send one.
              GOOGLE_OAUTH_ACCESS_TOKEN: 'emulator',
            }
          : {},
        initArgs: [
          `-backend-config=bucket=${cfg.bucket}`,
          `-backend-config=prefix=${gcsStatePrefix(cfg.prefix, tenantId)}`,
        ],
        backendOverride: 'terraform {\n  backend "gcs" {}\n}\n',
      };
  }
}

/**
 * Makes the tenant's place in the backend ready before any tofu run, then says how to point
 * tofu at it. For pg: the tenant's schema, table and empty state row, so that no tofu run waits
 * for another tenant's lock (ensureTenantState). A gcs prefix needs nothing beforehand.
 */
export async function prepareStateBackend(cfg: StateBackendConfig, tenantId: string): Promise<StateBackendSetup> {
  if (cfg.kind === 'pg') await ensureTenantState(cfg.databaseUrl, stateSchemaName(tenantId));
  return stateBackendSetup(cfg, tenantId);
}

import { stateBackendSetup } from './state-backend';

const TENANT = '2F1C6A8E-1D2B-4C3D-9E8F-0A1B2C3D4E5F';

describe('stateBackendSetup', () => {
  it('points the pg backend at the tenant schema through the environment only', () => {
    const setup = stateBackendSetup({ kind: 'pg', databaseUrl: 'postgres://u:secret@db:5432/engine' }, TENANT);
    expect(setup.env.PG_SCHEMA_NAME).toBe('tfstate_2f1c6a8e1d2b4c3d9e8f0a1b2c3d4e5f');
    // The engine creates schema, table and row first: the backend's creation lock is shared by all tenants.
    expect(setup.env).toMatchObject({
      PG_SKIP_SCHEMA_CREATION: 'true',
      PG_SKIP_TABLE_CREATION: 'true',
      PG_SKIP_INDEX_CREATION: 'true',
    });
    expect(setup.initArgs).toEqual([]);
    expect(setup.backendOverride).toContain('backend "pg"');
  });

  it('points the gcs backend at a per-tenant prefix of the bucket, with an override of the backend block', () => {
    const setup = stateBackendSetup({ kind: 'gcs', bucket: 'poc-state', prefix: 'engine/tenants/' }, TENANT);
    expect(setup.initArgs).toEqual([
      '-backend-config=bucket=poc-state',
      '-backend-config=prefix=engine/tenants/2f1c6a8e-1d2b-4c3d-9e8f-0a1b2c3d4e5f',
    ]);
    expect(setup.backendOverride).toContain('backend "gcs"');
    expect(setup.env).toEqual({});
  });

  it('sends an emulator endpoint and a placeholder token only when an emulator is configured', () => {
    const setup = stateBackendSetup(
      { kind: 'gcs', bucket: 'b', prefix: 'p', emulatorEndpoint: 'http://127.0.0.1:4443/' },
      TENANT,
    );
    expect(setup.env).toEqual({
      GOOGLE_BACKEND_STORAGE_CUSTOM_ENDPOINT: 'http://127.0.0.1:4443/storage/v1/',
      GOOGLE_OAUTH_ACCESS_TOKEN: 'emulator',
    });
  });
});

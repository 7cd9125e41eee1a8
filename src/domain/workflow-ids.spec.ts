import { provisioningWorkflowId, stateSchemaName } from './workflow-ids';

const TENANT = '2f1c6a8e-1d2b-4c3d-9e8f-0a1b2c3d4e5f';
const OTHER = '3f1c6a8e-1d2b-4c3d-9e8f-0a1b2c3d4e5f';

describe('provisioningWorkflowId', () => {
  it('derives one workflow id per tenant', () => {
    expect(provisioningWorkflowId(TENANT)).toBe(`poc-${TENANT}`);
    expect(provisioningWorkflowId(OTHER)).not.toBe(provisioningWorkflowId(TENANT));
  });
});

describe('stateSchemaName', () => {
  it.each([TENANT, TENANT.toUpperCase(), 'ffffffff-ffff-ffff-ffff-ffffffffffff'])(
    'names a lowercase Postgres identifier of at most 63 characters for %s',
    (tenant) => {
      const name = stateSchemaName(tenant);
      expect(name).toMatch(/^[a-z_][a-z0-9_]*$/);
      expect(name.length).toBeLessThanOrEqual(63);
    },
  );

  it('gives the same tenant the same schema, whatever the case of its UUID', () => {
    expect(stateSchemaName(TENANT.toUpperCase())).toBe(stateSchemaName(TENANT));
  });

  it('gives different tenants different schemas', () => {
    expect(stateSchemaName(OTHER)).not.toBe(stateSchemaName(TENANT));
  });
});

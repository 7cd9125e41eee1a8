import { provisioningWorkflowId, stateSchemaName } from './workflow-ids';

describe('workflow ids and state schemas', () => {
  const a = '2F1C6A8E-1D2B-4C3D-9E8F-0A1B2C3D4E5F';
  const b = '3f1c6a8e-1d2b-4c3d-9e8f-0a1b2c3d4e5f';

  it('derives the workflow id from the tenant', () => {
    expect(provisioningWorkflowId(b)).toBe(`poc-${b}`);
  });

  it('names a valid, stable Postgres schema per tenant', () => {
    const name = stateSchemaName(a);
    expect(name).toMatch(/^[a-z_][a-z0-9_]{0,62}$/);
    expect(stateSchemaName(a)).toBe(name);
    expect(stateSchemaName(b)).not.toBe(name);
  });
});

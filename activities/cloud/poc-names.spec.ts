import { isPocResourceName, pocNameBase } from './poc-names';

describe('the names of a tenant, as modules/poc-names gives them', () => {
  const tenantId = '3F0C9A52-6A7E-4F1B-9A40-0C1D2E3F4A5B';
  const base = pocNameBase(tenantId, 'acme-cybersecurity-inc-a1b2c3d4');

  it('cuts the slug to 22 characters, trims trailing hyphens, and hashes the lowercase tenant id', () => {
    expect(base).toMatch(/^poc-acme-cybersecurity-inc-[0-9a-f]{8}$/);
    expect(pocNameBase(tenantId.toLowerCase(), 'acme-cybersecurity-inc-a1b2c3d4')).toBe(base);
  });

  it('takes every name of the tenant, the database with its expiry hash', () => {
    for (const suffix of ['vpc', 'nodes', 'router', 'nat', 'gke', 'db', 'db-psc', 'db-0a1b2c', 'allow-iap-ssh'])
      expect(isPocResourceName(base, `${base}-${suffix}`)).toBe(true);
  });

  it('takes no name that only starts with the base (a longer slug of another tenant)', () => {
    expect(isPocResourceName(base, `${base}-vpc-extra`)).toBe(false);
    expect(isPocResourceName(base, `${base}-other-tenant-0a1b2c3d-vpc`)).toBe(false);
    expect(isPocResourceName(base, base)).toBe(false);
  });
});

import seedRequest from '../../test/fixtures/seed/provision-request.json';
import { holdsPersonalFields, joinPersonalData, PERSONAL_FIELDS, REDACTED, splitPersonalData } from './personal-data';
import type { ProvisionRequest } from './provision-request';

const seed = seedRequest as unknown as ProvisionRequest;

describe('personal data of a request', () => {
  it("takes every personal field of the seed's request out of it, and keeps every other field", () => {
    const { request, personal } = splitPersonalData(seed);
    expect(personal).toEqual({
      company_name: 'ACME Cybersecurity Inc.',
      contact_email: 'john.smith@acmecyber.com',
      contact_name: 'John Smith',
    });
    const clear = JSON.stringify(request);
    for (const value of Object.values(personal)) expect(clear).not.toContain(value);
    expect(request.company_info).toEqual({
      industry_vertical: 'financial_services',
      company_size: 'enterprise',
      headquarters_country: 'US',
    });
    expect({ ...request, company_info: seed.company_info }).toEqual(seed);
    expect(holdsPersonalFields(request.company_info as unknown as Record<string, unknown>)).toBe(false);
    expect(holdsPersonalFields(seed.company_info as unknown as Record<string, unknown>)).toBe(true);
  });

  it('leaves the request it was given unchanged', () => {
    const before = JSON.stringify(seed);
    splitPersonalData(seed);
    expect(JSON.stringify(seed)).toBe(before);
  });

  it('puts the fields back where they were', () => {
    const { request, personal } = splitPersonalData(seed);
    expect(joinPersonalData(request, personal)).toEqual(seed);
  });

  it('reads a purged request with company_name redacted and the optional personal fields absent', () => {
    const { request } = splitPersonalData(seed);
    const joined = joinPersonalData(request, null);
    expect(joined.company_info).toEqual({ ...request.company_info, company_name: REDACTED });
    expect(typeof joined.company_info.company_name).toBe('string');
  });

  it('lists the fields docs/api.md calls personal data, and the company name', () => {
    expect([...PERSONAL_FIELDS].sort()).toEqual(['company_name', 'contact_email', 'contact_name']);
  });
});

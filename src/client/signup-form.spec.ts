import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ProvisionRequestDto } from '../provisioning/dto/provision-request.dto';
import { provisioningRequestFromSignup, tenantSlugFrom, type SignupForm } from './signup-form';

const form: SignupForm = {
  companyName: 'Müller & Söhne GmbH',
  contactEmail: 'anna@mueller.example',
  contactName: 'Anna Müller',
  country: 'de',
  plan: 'team',
  region: 'eu',
  trialDays: 21,
  features: ['sso', 'backups'],
  signupId: 'abc12345',
};

describe('tenantSlugFrom', () => {
  it.each([
    ['Müller & Söhne GmbH', 'muller-sohne-gmbh'],
    ['  ACME, Inc.  ', 'acme-inc'],
    ['a'.repeat(70), 'a'.repeat(63)],
    [`${'a'.repeat(62)}-b`, 'a'.repeat(62)],
  ])('makes a DNS label of %s', (name, slug) => {
    expect(tenantSlugFrom(name)).toBe(slug);
  });

  it('invents a label for a name without usable letters', () => {
    expect(tenantSlugFrom('株式会社')).toMatch(/^tenant-[0-9a-f]{8}$/);
  });
});

describe('provisioningRequestFromSignup', () => {
  it('makes a request that passes the API validation', () => {
    const dto = plainToInstance(ProvisionRequestDto, provisioningRequestFromSignup(form));
    expect(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true })).toEqual([]);
  });

  it('takes tier and priority from the plan, and the idempotency key from the signup', () => {
    expect(provisioningRequestFromSignup(form)).toMatchObject({
      tenant_slug: 'muller-sohne-gmbh',
      company_info: { headquarters_country: 'DE' },
      poc_config: { poc_tier: 'professional', poc_duration_days: 21, enabled_features: ['sso', 'backups'] },
      security_config: { data_residency_region: 'eu', network_isolation_level: 'medium', encryption_required: true },
      priority: 'high',
      request_id: 'signup-abc12345',
    });
  });

  it('isolates enterprise environments most strictly', () => {
    expect(provisioningRequestFromSignup({ ...form, plan: 'enterprise' }).security_config).toMatchObject({
      network_isolation_level: 'high',
    });
  });
});

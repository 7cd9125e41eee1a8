import {
  convertSignupToProvisioningRequest,
  defaultFeatures,
  provisioningRequestFromSignup,
  tenantSlugFrom,
  type SignupData,
  type SignupForm,
} from './signup-form';

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

// The seed's signup form (its README's example request, as the signup backend collects it).
const seedSignup: SignupData = {
  company_name: 'ACME Cybersecurity Inc.',
  industry_vertical: 'financial_services',
  company_size: 'enterprise',
  headquarters_country: 'US',
  contact_email: 'john.smith@acmecyber.com',
  contact_name: 'John Smith',
  poc_tier: 'enterprise',
  poc_duration_days: 30,
  security_clearance: 'unclassified',
  data_residency_region: 'us',
  compliance_frameworks: ['soc2', 'iso27001'],
  allowed_data_connectors: ['splunk', 'qradar'],
};

describe('convertSignupToProvisioningRequest', () => {
  const tenantId = '550e8400-e29b-41d4-a716-446655440000';
  const now = new Date('2026-01-15T10:30:00Z');

  it("follows the seed's rules: form fields copied, the rest derived from the tier", () => {
    const request = convertSignupToProvisioningRequest(seedSignup, tenantId, 'acme-cybersecurity-inc-a1b2c3d4', now);
    expect(request).toEqual({
      tenant_id: tenantId,
      tenant_slug: 'acme-cybersecurity-inc-a1b2c3d4',
      company_info: {
        company_name: 'ACME Cybersecurity Inc.',
        industry_vertical: 'financial_services',
        company_size: 'enterprise',
        headquarters_country: 'US',
        contact_email: 'john.smith@acmecyber.com',
        contact_name: 'John Smith',
      },
      poc_config: {
        poc_tier: 'enterprise',
        poc_duration_days: 30,
        expires_at: '2026-02-14T10:30:00.000Z',
        enabled_features: defaultFeatures('enterprise'),
      },
      security_config: {
        security_clearance: 'unclassified',
        data_residency_region: 'us',
        compliance_frameworks: ['soc2', 'iso27001'],
        network_isolation_level: 'high',
        encryption_required: true,
      },
      integration_config: {
        main_platform_integration: true,
        allowed_data_connectors: ['splunk', 'qradar'],
        crm_integration_enabled: true,
      },
      monitoring_config: { enabled: true, detailed_monitoring: true, alerting_enabled: true, retention_days: 90 },
      request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      priority: 'standard',
    });
    expect(defaultFeatures('enterprise')).toEqual(expect.arrayContaining(['threat_detection', 'email_security']));
  });

  it("takes the form's own features, allocation, priority and signup id", () => {
    const request = convertSignupToProvisioningRequest(
      {
        ...seedSignup,
        poc_tier: 'standard',
        enabled_features: ['backups'],
        resource_allocation: { cpu_cores: 2, memory_gb: 8, storage_gb: 50, max_users: 5 },
        priority: 'high',
        signup_id: 'abc12345',
      },
      tenantId,
      'acme',
      now,
    );
    expect(request).toMatchObject({
      poc_config: { enabled_features: ['backups'], resource_allocation: { max_users: 5 } },
      monitoring_config: { detailed_monitoring: false, retention_days: 30 },
      request_id: 'signup-abc12345',
      priority: 'high',
    });
  });

  it('leaves the lifetime to the engine and defaults the region when the form has neither', () => {
    const request = convertSignupToProvisioningRequest({ company_name: 'Tiny' }, tenantId, 'tiny', now);
    expect(request.poc_config).toEqual({ poc_tier: 'standard', enabled_features: defaultFeatures('standard') });
    expect(request.security_config).toMatchObject({ data_residency_region: 'us' });
    expect(request.company_info).toEqual({ company_name: 'Tiny' });
  });

  it('gives premium signups the premium features and a high priority', () => {
    const request = convertSignupToProvisioningRequest({ company_name: 'P', poc_tier: 'premium' }, tenantId, 'p', now);
    expect(request.priority).toBe('high');
    expect(request.poc_config.enabled_features).toEqual(expect.arrayContaining(['soar_automation', 'api_access']));
    expect(request.monitoring_config?.retention_days).toBe(365);
  });
});

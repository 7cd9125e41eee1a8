import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { PRIORITIES } from '../../domain/poc-tier';
import { fieldIssues } from '../../errors/validation-exception.factory';
import { DEFAULT_CATALOGUE, MAX_DESCRIPTIVE_LIST } from '../../domain/request-vocabulary';
import { ProvisionRequestDto } from './provision-request.dto';
// The seed's example request, verbatim (../shared/seed/seed-README.md, POST /provisioning/provision).
import seedRequest from '../../../test/fixtures/seed/provision-request.json';

const DAY_MS = 86_400_000;

/** The bad fields of the seed's request with `group.field` set to `value`. */
function badFieldsOfSeedWith(group: string, field: string, value: unknown) {
  const body = seed() as unknown as Record<string, Record<string, unknown>>;
  return badFields({ ...body, [group]: { ...body[group], [field]: value } });
}
/** The seed's request with its expiry moved to 30 days from now, as its poc_duration_days says. */
const seed = () => ({
  ...seedRequest,
  poc_config: { ...seedRequest.poc_config, expires_at: new Date(Date.now() + 30 * DAY_MS).toISOString() },
});

const valid = () => ({
  tenant_id: '2f1c6a8e-1d2b-4c3d-9e8f-0a1b2c3d4e5f',
  tenant_slug: 'acme-labs',
  company_info: { company_name: 'Acme', contact_email: 'poc@acme.test', headquarters_country: 'DE' },
  poc_config: { poc_tier: 'standard', expires_at: new Date(Date.now() + 86_400_000).toISOString() },
  priority: 'high',
});

/** Validates a body as the API's ValidationPipe does and returns the DTO and its flattened issues. */
function validate(body: object) {
  const dto = plainToInstance(ProvisionRequestDto, body);
  const issues = fieldIssues(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }));
  return { dto, issues };
}

const badFields = (body: object) => [...new Set(validate(body).issues.map((i) => i.field))].sort();

describe('ProvisionRequestDto', () => {
  it('accepts a complete valid request', () => {
    expect(validate(valid()).issues).toEqual([]);
  });

  it('rejects a request without company_info', () => {
    const { company_info: _omitted, ...body } = valid();
    expect(badFields(body)).toEqual(['company_info']);
  });

  it.each([
    ['tenant_id is not a UUID', { tenant_id: '1234' }, 'tenant_id'],
    ['the slug has uppercase letters', { tenant_slug: 'Acme' }, 'tenant_slug'],
    ['the slug starts with a hyphen', { tenant_slug: '-acme' }, 'tenant_slug'],
    ['the slug is 64 characters long', { tenant_slug: 'a'.repeat(64) }, 'tenant_slug'],
    ['an unknown top-level field is sent', { surprise: 1 }, 'surprise'],
    ['priority is unknown', { priority: 'urgent' }, 'priority'],
  ])('rejects a request where %s', (_case, patch, field) => {
    expect(badFields({ ...valid(), ...patch })).toEqual([field]);
  });

  it.each([
    ['poc_tier is "gold"', { poc_tier: 'gold' }, 'poc_config.poc_tier'],
    ['expires_at is in the past', { expires_at: '2020-01-01T00:00:00Z' }, 'poc_config.expires_at'],
    ['expires_at is not ISO-8601', { expires_at: 'next tuesday' }, 'poc_config.expires_at'],
    ['poc_duration_days is over 90', { poc_duration_days: 91 }, 'poc_config.poc_duration_days'],
  ])('rejects a poc_config where %s', (_case, patch, field) => {
    const body = valid();
    expect(badFields({ ...body, poc_config: { ...body.poc_config, ...patch } })).toEqual([field]);
  });

  it.each([
    ['contact_email is not an email', { contact_email: 'nope' }, 'company_info.contact_email'],
    ['headquarters_country is not ISO 3166', { headquarters_country: 'Germany' }, 'company_info.headquarters_country'],
    ['company_name is empty', { company_name: '' }, 'company_info.company_name'],
  ])('rejects company_info where %s', (_case, patch, field) => {
    const body = valid();
    expect(badFields({ ...body, company_info: { ...body.company_info, ...patch } })).toEqual([field]);
  });

  it('accepts a slug of exactly 63 characters', () => {
    expect(badFields({ ...valid(), tenant_slug: 'a'.repeat(63) })).toEqual([]);
  });

  it('defaults the priority to standard', () => {
    const { priority: _omitted, ...body } = valid();
    expect(validate(body).dto.priority).toBe('standard');
  });

  // The read model's priority column is NOT NULL and the workflow maps priority to a Temporal
  // priority key, so a request that validates must carry a real priority.
  it('rejects or defaults a null priority rather than accepting it as is', () => {
    const { dto, issues } = validate({ ...valid(), priority: null });
    expect(issues.length > 0 || PRIORITIES.includes(dto.priority)).toBe(true);
  });

  it('spells a tenant id in lower case, so one tenant always maps to one workflow', () => {
    const { dto, issues } = validate({ ...valid(), tenant_id: '2F1C6A8E-1D2B-4C3D-9E8F-0A1B2C3D4E5F' });
    expect(issues).toEqual([]);
    expect(dto.tenant_id).toBe('2f1c6a8e-1d2b-4c3d-9e8f-0a1b2c3d4e5f');
  });

  it("accepts the seed's example request field for field", () => {
    expect(validate(seed()).issues).toEqual([]);
  });

  it.each([
    ['company_info', 'industry_vertical', 'managed_security_services'],
    ['company_info', 'company_size', '10000+'],
    ['security_config', 'security_clearance', 'nato_restricted'],
  ])('accepts an unknown %s.%s of the safe shape', (group, field, value) => {
    expect(badFieldsOfSeedWith(group, field, value)).toEqual([]);
  });

  it.each([
    ['poc_config', 'enabled_features', ['threat_detection', 'dark_web_monitoring', 'ai.copilot+beta']],
    ['security_config', 'compliance_frameworks', ['soc2', 'cmmc-2.0']],
    ['integration_config', 'allowed_data_connectors', ['splunk', 'crowdstrike_falcon']],
  ])('accepts unknown entries of %s.%s of the safe shape', (group, field, value) => {
    expect(badFieldsOfSeedWith(group, field, value)).toEqual([]);
  });

  it.each([
    ['uppercase letters', 'Financial'],
    ['a space', 'financial services'],
    ['a leading hyphen', '-enterprise'],
    ['64 characters', 'a'.repeat(64)],
    ['an empty string', ''],
    ['a number', 5000],
  ])('refuses a descriptive value with %s, naming the field', (_case, value) => {
    expect(badFieldsOfSeedWith('company_info', 'company_size', value)).toEqual(['company_info.company_size']);
  });

  it('refuses a descriptive list with a badly shaped entry, a repeated entry or too many entries', () => {
    const withFeatures = (features: unknown) => badFieldsOfSeedWith('poc_config', 'enabled_features', features);
    expect(withFeatures(['sso', 'Not Safe'])).toEqual(['poc_config.enabled_features']);
    expect(withFeatures(['sso', 'sso'])).toEqual(['poc_config.enabled_features']);
    expect(withFeatures(Array.from({ length: MAX_DESCRIPTIVE_LIST + 1 }, (_, i) => `f${i}`))).toEqual([
      'poc_config.enabled_features',
    ]);
    expect(withFeatures(Array.from({ length: MAX_DESCRIPTIVE_LIST }, (_, i) => `f${i}`))).toEqual([]);
  });

  it('knows every descriptive value the seed sends, and each known value has the safe shape', () => {
    const s = seedRequest;
    expect(DEFAULT_CATALOGUE['company_info.company_size']).toContain(s.company_info.company_size);
    expect(DEFAULT_CATALOGUE['company_info.industry_vertical']).toContain(s.company_info.industry_vertical);
    expect(DEFAULT_CATALOGUE['security_config.security_clearance']).toContain(s.security_config.security_clearance);
    expect(DEFAULT_CATALOGUE['poc_config.enabled_features']).toEqual(
      expect.arrayContaining(s.poc_config.enabled_features),
    );
    expect(DEFAULT_CATALOGUE['security_config.compliance_frameworks']).toEqual(
      expect.arrayContaining(s.security_config.compliance_frameworks),
    );
    expect(DEFAULT_CATALOGUE['integration_config.allowed_data_connectors']).toEqual(
      expect.arrayContaining(s.integration_config.allowed_data_connectors),
    );
    for (const values of Object.values(DEFAULT_CATALOGUE)) {
      for (const v of values) expect(v).toMatch(/^[a-z0-9][a-z0-9_.+-]{0,62}$/);
    }
  });

  it.each([
    ['poc_config', 'poc_tier', 'platinum'],
    ['security_config', 'data_residency_region', 'us-east'],
    ['security_config', 'network_isolation_level', 'maximum'],
  ])('keeps %s.%s, which shapes infrastructure, closed: refuses %s', (group, field, value) => {
    expect(badFieldsOfSeedWith(group, field, value)).toEqual([`${group}.${field}`]);
  });

  it('refuses an expires_at without an offset, which would be read in the host time zone', () => {
    const body = seed();
    const local = body.poc_config.expires_at.replace(/\.\d+Z$/, '');
    const { issues } = validate({ ...body, poc_config: { ...body.poc_config, expires_at: local } });
    expect(issues).toContainEqual({ field: 'poc_config.expires_at', reason: expect.stringMatching(/offset/) });
  });
});

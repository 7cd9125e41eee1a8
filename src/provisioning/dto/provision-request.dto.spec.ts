import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { fieldIssues } from '../../errors/validation-exception.factory';
import { ProvisionRequestDto } from './provision-request.dto';

const valid = () => ({
  tenant_id: '2f1c6a8e-1d2b-4c3d-9e8f-0a1b2c3d4e5f',
  tenant_slug: 'acme-labs',
  company_info: { company_name: 'Acme', contact_email: 'poc@acme.test', headquarters_country: 'DE' },
  poc_config: { poc_tier: 'standard', expires_at: new Date(Date.now() + 86_400_000).toISOString() },
  priority: 'high',
});

const badFields = (body: object) =>
  [
    ...new Set(
      fieldIssues(
        validateSync(plainToInstance(ProvisionRequestDto, body), { whitelist: true, forbidNonWhitelisted: true }),
      ).map((i) => i.field),
    ),
  ].sort();

describe('ProvisionRequestDto', () => {
  it('accepts a complete valid request', () => {
    expect(badFields(valid())).toEqual([]);
  });

  it.each([
    ['tenant_id is not a UUID', { tenant_id: '1234' }, 'tenant_id'],
    ['the slug has uppercase letters', { tenant_slug: 'Acme' }, 'tenant_slug'],
    ['the slug starts with a hyphen', { tenant_slug: '-acme' }, 'tenant_slug'],
    ['the slug is 64 characters', { tenant_slug: 'a'.repeat(64) }, 'tenant_slug'],
    ['company_info is missing', { company_info: undefined }, 'company_info'],
    ['an unknown top-level field is sent', { surprise: 1 }, 'surprise'],
    ['priority is unknown', { priority: 'urgent' }, 'priority'],
  ])('rejects a request where %s', (_case, patch, field) => {
    expect(badFields({ ...valid(), ...patch })).toEqual([field]);
  });

  it.each([
    ['poc_tier is unknown', { poc_tier: 'gold' }, 'poc_config.poc_tier'],
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

  it('defaults the priority to standard', () => {
    const { priority: _omitted, ...body } = valid();
    expect(plainToInstance(ProvisionRequestDto, body).priority).toBe('standard');
  });
});

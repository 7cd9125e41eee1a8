import 'reflect-metadata';
import type { ArgumentMetadata } from '@nestjs/common';
import { DomainError, type FieldIssue } from '../domain/domain-error';
import { ExtendJobDto, StopJobDto } from '../provisioning/dto/job-control.dto';
import { JobListQuery } from '../provisioning/dto/job-list.query';
import { ProvisionRequestDto } from '../provisioning/dto/provision-request.dto';
import { RequestValidationPipe } from './request-validation.pipe';

const pipe = new RequestValidationPipe();
const body = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'body', metatype });

/** The issues the pipe answers for `value`, or [] when it lets it through. */
async function issuesOf(value: unknown, meta: ArgumentMetadata): Promise<FieldIssue[]> {
  try {
    await pipe.transform(value, meta);
    return [];
  } catch (err) {
    if (err instanceof DomainError && err.code === 'VALIDATION_FAILED') return err.details;
    throw err;
  }
}

const request = (patch: Record<string, unknown> = {}) => ({
  tenant_id: '2f1c6a8e-1d2b-4c3d-9e8f-0a1b2c3d4e5f',
  tenant_slug: 'acme-labs',
  company_info: { company_name: 'Acme', industry_vertical: 'financial_services' },
  poc_config: { poc_tier: 'standard', expires_at: new Date(Date.now() + 86_400_000).toISOString() },
  ...patch,
});

describe('RequestValidationPipe', () => {
  it.each([
    ['an empty array', []],
    ['an array of numbers', [1, 2]],
    ['null', null],
    ['a string', 'str'],
    ['a number', 123],
    ['true', true],
  ])('refuses %s as a body of every DTO and of none, naming the body', async (_case, value) => {
    for (const metatype of [ProvisionRequestDto, ExtendJobDto, StopJobDto, undefined]) {
      expect(await issuesOf(value, body(metatype))).toEqual([{ field: 'body', reason: 'body must be a JSON object' }]);
    }
  });

  it('lets no body at all through to a DTO whose fields are all optional', async () => {
    expect(await issuesOf(undefined, body(StopJobDto))).toEqual([]);
  });

  it('lets a valid request through', async () => {
    expect(await issuesOf(request(), body(ProvisionRequestDto))).toEqual([]);
  });

  it('refuses NUL in company_name, naming company_info.company_name', async () => {
    const issues = await issuesOf(
      request({ company_info: { company_name: 'Acme\u0000Corp' } }),
      body(ProvisionRequestDto),
    );
    expect(issues).toEqual([{ field: 'company_info.company_name', reason: expect.stringMatching(/NUL/) }]);
  });

  it('lets a line break into company_name (documented free text) but not into industry_vertical', async () => {
    const issues = await issuesOf(
      request({ company_info: { company_name: 'Acme\nCorp', industry_vertical: 'fin\nance' } }),
      body(ProvisionRequestDto),
    );
    expect(issues.map((i) => i.field)).toEqual(['company_info.industry_vertical', 'company_info.industry_vertical']);
    expect(issues.map((i) => i.reason)).toContainEqual(expect.stringMatching(/control/));
  });

  it('checks strings inside lists too', async () => {
    const r = request();
    const issues = await issuesOf(
      { ...r, poc_config: { ...r.poc_config, enabled_features: ['sso', 'x\uD800'] } },
      body(ProvisionRequestDto),
    );
    expect(issues).toContainEqual({
      field: 'poc_config.enabled_features',
      reason: expect.stringMatching(/item 1 .*surrogate/),
    });
  });

  it('checks strings of fields it does not know before refusing them as unknown', async () => {
    const issues = await issuesOf(request({ surprise: 'a\u0000' }), body(ProvisionRequestDto));
    expect(issues).toContainEqual({ field: 'surprise', reason: expect.stringMatching(/NUL/) });
  });

  it.each([
    ['NUL', '\u0000', /NUL/],
    ['an escape sequence', 'done\u001B[2J', /control/],
  ])('refuses %s in the reason of destroy and cancel, naming reason', async (_case, reason, why) => {
    expect(await issuesOf({ reason }, body(StopJobDto))).toEqual([
      { field: 'reason', reason: expect.stringMatching(why) },
    ]);
  });

  it('accepts a reason over several lines', async () => {
    expect(await issuesOf({ reason: 'trial over\r\nthanks' }, body(StopJobDto))).toEqual([]);
  });

  it('refuses an unstorable list filter, naming it', async () => {
    const issues = await issuesOf({ cursor: 'abc\u0000' }, { type: 'query', metatype: JobListQuery });
    expect(issues.map((i) => i.field)).toContain('cursor');
    expect(issues.map((i) => i.reason)).toContainEqual(expect.stringMatching(/NUL/));
  });

  it.each([
    [
      'submit',
      request({ poc_config: { poc_tier: 'standard', expires_at: '2030-12-06T09:26:48' } }),
      ProvisionRequestDto,
      'poc_config.expires_at',
    ],
    ['extend', { expires_at: '2030-12-06T09:26:48' }, ExtendJobDto, 'expires_at'],
  ])('refuses an expires_at without an offset at %s, naming it', async (_case, value, metatype, field) => {
    const issues = await issuesOf(value, body(metatype));
    expect(issues).toContainEqual({ field, reason: expect.stringMatching(/offset/) });
  });

  it.each(['created_from', 'created_to'])('refuses a %s without an offset, naming it', async (field) => {
    const issues = await issuesOf({ [field]: '2026-12-06T09:26:48' }, { type: 'query', metatype: JobListQuery });
    expect(issues).toEqual([{ field, reason: expect.stringMatching(/offset/) }]);
  });

  it('checks the strings of a body that has no DTO class too, as strict text', async () => {
    expect(await issuesOf({ payloads: [{ data: 'YQ==' }] }, body(Object))).toEqual([]);
    expect(await issuesOf({ payloads: [{ data: 'a\nb' }] }, body(Object))).toEqual([
      { field: 'payloads.0.data', reason: expect.stringMatching(/control/) },
    ]);
  });

  it('refuses a body nested deeper than it will walk with a 400, not a stack overflow', async () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 30_000; i++) deep = [deep];
    const issues = await issuesOf(request({ deep }), body(ProvisionRequestDto));
    expect(issues).toEqual([{ field: expect.stringMatching(/^deep/), reason: expect.stringMatching(/nested/) }]);
  });
});

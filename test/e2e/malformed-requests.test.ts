import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { aProvisionRequest } from '../support/requests';
import { startGateway, type ApiBody, type TestGateway } from '../support/gateway';
import { openDatabase } from '../support/test-stack';

type Body = Record<string, unknown> & { poc_config: Record<string, unknown>; company_info: Record<string, unknown> };
const valid = (): Body => aProvisionRequest() as unknown as Body;
const withPoc = (patch: Record<string, unknown>) => (b: Body) => ({ ...b, poc_config: { ...b.poc_config, ...patch } });
const withCompany = (patch: Record<string, unknown>) => (b: Body) => ({
  ...b,
  company_info: { ...b.company_info, ...patch },
});
const withSecurity = (patch: Record<string, unknown>) => (b: Body) => ({
  ...b,
  security_config: {
    data_residency_region: 'eu',
    network_isolation_level: 'medium',
    encryption_required: true,
    ...patch,
  },
});
const days = (n: number) => new Date(Date.now() + n * 24 * 3600_000).toISOString();

/** Each case: what is wrong, how to make the body wrong, and the field the answer must name. */
const CASES: Array<[string, (b: Body) => unknown, string]> = [
  ['tenant_id is not a UUID', (b) => ({ ...b, tenant_id: 'tenant-1' }), 'tenant_id'],
  ['tenant_id is missing', ({ tenant_id: _t, ...b }) => b, 'tenant_id'],
  ['tenant_slug has uppercase letters', (b) => ({ ...b, tenant_slug: 'Acme' }), 'tenant_slug'],
  ['tenant_slug ends with a hyphen', (b) => ({ ...b, tenant_slug: 'acme-' }), 'tenant_slug'],
  ['tenant_slug is 64 characters', (b) => ({ ...b, tenant_slug: 'a'.repeat(64) }), 'tenant_slug'],
  ['tenant_slug is a number', (b) => ({ ...b, tenant_slug: 42 }), 'tenant_slug'],
  ['an unknown top-level field', (b) => ({ ...b, admin: true }), 'admin'],
  ['company_info is missing', ({ company_info: _c, ...b }) => b, 'company_info'],
  ['company_info is a string', (b) => ({ ...b, company_info: 'Acme' }), 'company_info'],
  ['company_name is empty', withCompany({ company_name: '' }), 'company_info.company_name'],
  ['contact_email is not an email', withCompany({ contact_email: 'poc-at-acme' }), 'company_info.contact_email'],
  [
    'headquarters_country is not ISO 3166',
    withCompany({ headquarters_country: 'DEU' }),
    'company_info.headquarters_country',
  ],
  // Descriptive fields take any value of the safe shape (docs/api.md): these are not of it.
  [
    'company_size is not of the descriptive shape',
    withCompany({ company_size: 'Very Large' }),
    'company_info.company_size',
  ],
  [
    'industry_vertical holds a control character',
    withCompany({ industry_vertical: 'fin\u0007tech' }),
    'company_info.industry_vertical',
  ],
  ['company_name holds NUL', withCompany({ company_name: 'Acme\u0000Corp' }), 'company_info.company_name'],
  ['contact_name holds a lone surrogate', withCompany({ contact_name: 'J\uD800' }), 'company_info.contact_name'],
  [
    'security_clearance is not of the descriptive shape',
    withSecurity({ security_clearance: 'TOP SECRET' }),
    'security_config.security_clearance',
  ],
  ['an unknown company_info field', withCompany({ vat: 'DE123' }), 'company_info.vat'],
  // Names every object inherits are unknown fields too, not silently dropped (JSON.parse makes
  // `__proto__` an own property; the spread keeps it one).
  ['a __proto__ field', (b) => ({ ...b, ...JSON.parse('{"__proto__":{"tenant_slug":"evil"}}') }), '__proto__'],
  ['a constructor field', (b) => ({ ...b, constructor: { prototype: { x: 1 } } }), 'constructor'],
  ['a toString field in company_info', withCompany({ toString: 1 }), 'company_info.toString'],
  ['poc_tier is unknown', withPoc({ poc_tier: 'gold' }), 'poc_config.poc_tier'],
  ['expires_at is in the past', withPoc({ expires_at: '2020-01-01T00:00:00Z' }), 'poc_config.expires_at'],
  ['expires_at is not ISO-8601', withPoc({ expires_at: 'next friday' }), 'poc_config.expires_at'],
  ['expires_at is beyond the tier maximum', withPoc({ expires_at: days(45) }), 'poc_config.expires_at'],
  ['poc_duration_days is 0', withPoc({ poc_duration_days: 0 }), 'poc_config.poc_duration_days'],
  ['poc_duration_days is 91', withPoc({ poc_duration_days: 91 }), 'poc_config.poc_duration_days'],
  ['poc_duration_days is not an integer', withPoc({ poc_duration_days: 2.5 }), 'poc_config.poc_duration_days'],
  [
    'expires_at disagrees with poc_duration_days',
    withPoc({ expires_at: days(20), poc_duration_days: 5 }),
    'poc_config.expires_at',
  ],
  [
    'a feature is not of the descriptive shape',
    withPoc({ enabled_features: ['Tele port'] }),
    'poc_config.enabled_features',
  ],
  [
    'more than 32 features are enabled',
    withPoc({ enabled_features: Array.from({ length: 33 }, (_, i) => `f${i}`) }),
    'poc_config.enabled_features',
  ],
  ['expires_at has no offset', withPoc({ expires_at: days(3).replace(/\.\d+Z$/, '') }), 'poc_config.expires_at'],
  ['enabled_features is not a list', withPoc({ enabled_features: 'sso' }), 'poc_config.enabled_features'],
  [
    'cpu_cores is negative',
    withPoc({ resource_allocation: { cpu_cores: -1, memory_gb: 4, storage_gb: 10, max_users: 5 } }),
    'poc_config.resource_allocation.cpu_cores',
  ],
  [
    'memory exceeds the tier limit',
    withPoc({ resource_allocation: { cpu_cores: 2, memory_gb: 64, storage_gb: 10, max_users: 5 } }),
    'poc_config.resource_allocation.memory_gb',
  ],
  [
    'max_users is missing from resource_allocation',
    withPoc({ resource_allocation: { cpu_cores: 2, memory_gb: 4, storage_gb: 10 } }),
    'poc_config.resource_allocation.max_users',
  ],
  [
    'data_residency_region is unknown',
    withSecurity({ data_residency_region: 'mars' }),
    'security_config.data_residency_region',
  ],
  [
    'network_isolation_level is unknown',
    withSecurity({ network_isolation_level: 'extreme' }),
    'security_config.network_isolation_level',
  ],
  [
    'encryption_required is a string',
    withSecurity({ encryption_required: 'yes' }),
    'security_config.encryption_required',
  ],
  [
    'compliance_frameworks has an entry not of the descriptive shape',
    withSecurity({ compliance_frameworks: ['soc2', 'SOC 3'] }),
    'security_config.compliance_frameworks',
  ],
  [
    'allowed_data_connectors has a connector not of the descriptive shape',
    (b) => ({ ...b, integration_config: { allowed_data_connectors: ['ftp://files'] } }),
    'integration_config.allowed_data_connectors',
  ],
  [
    'crm_integration_enabled is a number',
    (b) => ({ ...b, integration_config: { crm_integration_enabled: 1 } }),
    'integration_config.crm_integration_enabled',
  ],
  [
    'monitoring retention_days is 0',
    (b) => ({ ...b, monitoring_config: { enabled: true, retention_days: 0 } }),
    'monitoring_config.retention_days',
  ],
  ['monitoring enabled is missing', (b) => ({ ...b, monitoring_config: {} }), 'monitoring_config.enabled'],
  ['priority is unknown', (b) => ({ ...b, priority: 'urgent' }), 'priority'],
  ['priority is null', (b) => ({ ...b, priority: null }), 'priority'],
  ['request_id is too short', (b) => ({ ...b, request_id: 'abc' }), 'request_id'],
];

// The real gateway over HTTP on the test database: every malformed request is answered 400 in
// the one error shape, names the bad field, and writes nothing.
describe('malformed provisioning requests', () => {
  let gateway: TestGateway;
  let db: DataSource;
  const jobCount = async () => Number((await db.query('SELECT count(*) AS n FROM provisioning_jobs'))[0].n);

  beforeAll(async () => {
    db = await openDatabase();
    gateway = await startGateway('malformed');
  });
  afterAll(async () => {
    await gateway?.close();
    await db?.destroy();
  });

  it('has at least 25 distinct cases', () => {
    expect(new Set(CASES.map(([name]) => name)).size).toBeGreaterThanOrEqual(25);
  });

  it.each(CASES)('answers 400 naming the field when %s, and writes nothing', async (_case, breakIt, field) => {
    const before = await jobCount();
    const res = await gateway.call('/provisioning/provision', { method: 'POST', json: breakIt(valid()) });
    const body: ApiBody = await res.json();
    expect(res.status).toBe(400);
    expect(body).toMatchObject({ success: false, error: { code: 'VALIDATION_FAILED' } });
    expect(body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(body.error.details.every((d: { reason: unknown }) => typeof d.reason === 'string')).toBe(true);
    expect(await jobCount()).toBe(before);
  });

  it('answers 400 to a malformed Idempotency-Key header, and writes nothing', async () => {
    const before = await jobCount();
    const res = await gateway.call('/provisioning/provision', {
      method: 'POST',
      json: valid(),
      headers: { 'idempotency-key': 'bad key with spaces' },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.details).toEqual([
      { field: 'Idempotency-Key', reason: expect.stringMatching(/8-128/) },
    ]);
    expect(await jobCount()).toBe(before);
  });

  it('answers 400 to an Idempotency-Key with bytes outside its alphabet, and writes nothing', async () => {
    const before = await jobCount();
    const res = await gateway.call('/provisioning/provision', {
      method: 'POST',
      json: valid(),
      headers: { 'idempotency-key': 'key-\u00e9\u0085-12345' },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.details).toEqual([{ field: 'Idempotency-Key', reason: expect.any(String) }]);
    expect(await jobCount()).toBe(before);
  });

  it('answers 413 in the error shape to a body over 64 KiB', async () => {
    const res = await gateway.call('/provisioning/provision', {
      method: 'POST',
      json: { ...valid(), company_info: { company_name: 'x'.repeat(70_000) } },
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ success: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
  });
});

/** Bodies that are JSON but no object: each answered 400 naming the body, by every endpoint taking one. */
const NOT_OBJECTS = ['[]', '[1,2]', 'null', '"str"', '123', 'true'];

// The real gateway over HTTP on the test database (jobs seeded in the read model, no worker):
// a body that is no JSON object is refused before any action, so nothing changes and nothing is audited.
describe('request bodies that are not a JSON object', () => {
  let gateway: TestGateway;
  let db: DataSource;
  let ready: string;
  let queued: string;

  const seedJob = async (status: string): Promise<string> => {
    const jobId = randomUUID();
    await db.query(
      `INSERT INTO provisioning_jobs (job_id, tenant_id, tenant_slug, poc_tier, status, priority, workflow_id,
         request_payload, expires_at, queued_at)
       VALUES ($1, $2, $3, 'standard', $4, 'standard', $5, '{}'::jsonb, now() + interval '1 day', now())`,
      [jobId, randomUUID(), `body-${jobId.slice(0, 8)}`, status, `wf-${jobId}`],
    );
    return jobId;
  };
  const stateOf = async (jobId: string) =>
    (await db.query('SELECT status, expires_at FROM provisioning_jobs WHERE job_id = $1', [jobId]))[0];
  const auditCount = async (jobId: string) =>
    Number((await db.query('SELECT count(*) AS n FROM job_action_audit WHERE job_id = $1', [jobId]))[0].n);
  const jobCount = async () => Number((await db.query('SELECT count(*) AS n FROM provisioning_jobs'))[0].n);

  beforeAll(async () => {
    db = await openDatabase();
    gateway = await startGateway('not-objects');
    ready = await seedJob('completed');
    queued = await seedJob('queued');
  });
  afterAll(async () => {
    await gateway?.close();
    await db?.destroy();
  });

  const endpoints = (): Array<[string, string]> => [
    ['provision', '/provisioning/provision'],
    ['destroy', `/provisioning/jobs/${ready}/destroy`],
    ['extend', `/provisioning/jobs/${ready}/extend`],
    ['cancel', `/provisioning/jobs/${queued}/cancel`],
  ];
  const CASES = ['provision', 'destroy', 'extend', 'cancel'].flatMap((endpoint) =>
    NOT_OBJECTS.map((text): [string, string] => [endpoint, text]),
  );

  it.each(CASES)('%s answers 400 naming the body to the body %s, and changes nothing', async (endpoint, text) => {
    const path = endpoints().find(([name]) => name === endpoint)![1];
    const [jobsBefore, readyBefore, queuedBefore] = [await jobCount(), await stateOf(ready), await stateOf(queued)];
    const res = await gateway.call(path, { method: 'POST', body: text });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      success: false,
      error: {
        code: 'VALIDATION_FAILED',
        message: 'Invalid request: body',
        details: [{ field: 'body', reason: 'body must be a JSON object' }],
      },
    });
    expect(await jobCount()).toBe(jobsBefore);
    expect(await stateOf(ready)).toEqual(readyBefore);
    expect(await stateOf(queued)).toEqual(queuedBefore);
    expect(await auditCount(ready)).toBe(0);
    expect(await auditCount(queued)).toBe(0);
  });

  it.each(['provision', 'destroy', 'extend', 'cancel'])(
    '%s still answers "not valid JSON" to a body with a syntax error',
    async (endpoint) => {
      const path = endpoints().find(([name]) => name === endpoint)![1];
      const res = await gateway.call(path, { method: 'POST', body: '{"reason": ' });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({
        message: 'Request body is not valid JSON',
        details: [{ field: 'body', reason: 'is not valid JSON' }],
      });
      expect(await stateOf(ready)).toMatchObject({ status: 'completed' });
    },
  );
});

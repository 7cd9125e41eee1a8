import { startGateway, type ApiBody, type TestGateway } from '../support/gateway';
import { aProvisionRequest } from '../support/requests';

const NO_JOB = '00000000-0000-4000-8000-000000000000';
const DASHES = '-'.repeat(36);
const cursor = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');
const soon = () => new Date(Date.now() + 3 * 24 * 3600_000).toISOString();

type Case = [what: string, method: 'GET' | 'POST', path: string, body: unknown, field: string];

/** Every job route with a path id, so each malformed id is tried on each. */
const JOB_ROUTES: Array<['GET' | 'POST', (id: string) => string, unknown]> = [
  ['GET', (id) => `/provisioning/status/${id}`, undefined],
  ['GET', (id) => `/provisioning/jobs/${id}/events`, undefined],
  ['GET', (id) => `/provisioning/jobs/${id}/credentials`, undefined],
  ['POST', (id) => `/provisioning/jobs/${id}/extend`, { expires_at: soon() }],
  ['POST', (id) => `/provisioning/jobs/${id}/destroy`, {}],
  ['POST', (id) => `/provisioning/jobs/${id}/cancel`, {}],
];
const BAD_IDS: Array<[string, string]> = [
  ['not a UUID', 'job-1'],
  ['36 dashes', DASHES],
  ['a UUID with a non-hex digit', '00000000-0000-4000-8000-00000000000g'],
  ['a UUID with a trailing character', `${NO_JOB}0`],
  ['a number past any integer', '99999999999999999999999999999999999999'],
];

const list = (query: string) => `/provisioning/jobs?${query}`;
const JOB_ID_CASES: Case[] = JOB_ROUTES.flatMap(([method, path, body]) =>
  BAD_IDS.map(
    ([what, id]): Case => [`${method} ${path(':job_id')} with a job_id of ${what}`, method, path(id), body, 'job_id'],
  ),
);

const CASES: Case[] = [
  ...JOB_ID_CASES,
  // The list's filters.
  ['tenant_id is not a UUID', 'GET', list('tenant_id=tenant-1'), undefined, 'tenant_id'],
  ['tenant_id is 36 dashes', 'GET', list(`tenant_id=${DASHES}`), undefined, 'tenant_id'],
  ['tenant_id is given twice', 'GET', list(`tenant_id=${NO_JOB}&tenant_id=${NO_JOB}`), undefined, 'tenant_id'],
  // Query strings are read flat: `tenant_id[a]` is a parameter of its own, and unknown.
  ['tenant_id is written as an object', 'GET', list('tenant_id[a]=b'), undefined, 'tenant_id[a]'],
  ['an unknown parameter (a sort key)', 'GET', list('sort=created_at'), undefined, 'sort'],
  ['status is unknown', 'GET', list('status=running'), undefined, 'status'],
  ['status has an empty entry', 'GET', list('status=ready,'), undefined, 'status'],
  ['tier is unknown', 'GET', list('tier=gold'), undefined, 'tier'],
  ['tier is given twice', 'GET', list('tier=standard&tier=enterprise'), undefined, 'tier'],
  ['created_from is "foo 1"', 'GET', list('created_from=foo%201'), undefined, 'created_from'],
  ['created_from is 2020-02-30', 'GET', list('created_from=2020-02-30'), undefined, 'created_from'],
  [
    'created_from is the 30th of February at noon',
    'GET',
    list('created_from=2020-02-30T12:00:00Z'),
    undefined,
    'created_from',
  ],
  // RFC 3339's grammar allows the offset, Postgres refuses it: it was a 500.
  [
    'created_to has an offset of 16 hours',
    'GET',
    list('created_to=2026-01-01T00:00:00%2B16:00'),
    undefined,
    'created_to',
  ],
  ['created_to has no offset', 'GET', list('created_to=2026-01-01T00:00:00'), undefined, 'created_to'],
  ['created_to is a number', 'GET', list('created_to=1796549208000'), undefined, 'created_to'],
  ['limit is 0', 'GET', list('limit=0'), undefined, 'limit'],
  ['limit is 101', 'GET', list('limit=101'), undefined, 'limit'],
  ['limit is negative', 'GET', list('limit=-1'), undefined, 'limit'],
  ['limit is a fraction', 'GET', list('limit=1.5'), undefined, 'limit'],
  ['limit is not a number', 'GET', list('limit=ten'), undefined, 'limit'],
  ['limit overflows every integer type', 'GET', list(`limit=${'9'.repeat(40)}`), undefined, 'limit'],
  ['limit is given twice', 'GET', list('limit=5&limit=6'), undefined, 'limit'],
  // The cursor is opaque to callers but not to an attacker: each part is checked.
  [
    'the cursor holds a job id of 36 dashes',
    'GET',
    list(`cursor=${cursor(['2026-01-01T00:00:00Z', DASHES])}`),
    undefined,
    'cursor',
  ],
  ['the cursor holds a time of "foo 1"', 'GET', list(`cursor=${cursor(['foo 1', NO_JOB])}`), undefined, 'cursor'],
  [
    'the cursor holds a time of 2020-02-30',
    'GET',
    list(`cursor=${cursor(['2020-02-30', NO_JOB])}`),
    undefined,
    'cursor',
  ],
  [
    'the cursor holds an offset Postgres refuses',
    'GET',
    list(`cursor=${cursor(['2026-01-01T00:00:00-23:00', NO_JOB])}`),
    undefined,
    'cursor',
  ],
  ['the cursor is not base64url', 'GET', list('cursor=not%2Bbase64!'), undefined, 'cursor'],
  ['the cursor is not JSON', 'GET', list(`cursor=${Buffer.from('{{').toString('base64url')}`), undefined, 'cursor'],
  ['the cursor has one part', 'GET', list(`cursor=${cursor([NO_JOB])}`), undefined, 'cursor'],
  [
    'the cursor has three parts',
    'GET',
    list(`cursor=${cursor(['2026-01-01T00:00:00Z', NO_JOB, 1])}`),
    undefined,
    'cursor',
  ],
  ['the cursor is huge', 'GET', list(`cursor=${'A'.repeat(4000)}`), undefined, 'cursor'],
  ['the cursor is given twice', 'GET', list('cursor=abc&cursor=def'), undefined, 'cursor'],
  // The submit body: the values that reach Postgres columns (uuid, timestamptz, int).
  ...(
    [
      ['tenant_id is 36 dashes', { tenant_id: DASHES }, 'tenant_id'],
      ['expires_at is "foo 1"', { poc_config: { poc_tier: 'standard', expires_at: 'foo 1' } }, 'poc_config.expires_at'],
      [
        'expires_at is 2020-02-30',
        { poc_config: { poc_tier: 'standard', expires_at: '2020-02-30' } },
        'poc_config.expires_at',
      ],
      [
        'expires_at has an offset Postgres refuses',
        { poc_config: { poc_tier: 'standard', expires_at: '2099-01-01T00:00:00+16:00' } },
        'poc_config.expires_at',
      ],
      [
        'poc_duration_days overflows an int',
        { poc_config: { poc_tier: 'standard', poc_duration_days: 2 ** 31 } },
        'poc_config.poc_duration_days',
      ],
      [
        'max_users is past every integer type',
        {
          poc_config: {
            poc_tier: 'standard',
            expires_at: soon(),
            resource_allocation: { cpu_cores: 1, memory_gb: 1, storage_gb: 1, max_users: 1e300 },
          },
        },
        'poc_config.resource_allocation.max_users',
      ],
      [
        'monitoring retention_days overflows an int',
        { monitoring_config: { enabled: true, retention_days: 2 ** 31 } },
        'monitoring_config.retention_days',
      ],
    ] as Array<[string, Record<string, unknown>, string]>
  ).map(
    ([what, patch, field]): Case => [
      `submit with ${what}`,
      'POST',
      '/provisioning/provision',
      { ...aProvisionRequest(), ...patch },
      field,
    ],
  ),
  // The control bodies.
  ['extend without expires_at', 'POST', `/provisioning/jobs/${NO_JOB}/extend`, {}, 'expires_at'],
  ['extend to "foo 1"', 'POST', `/provisioning/jobs/${NO_JOB}/extend`, { expires_at: 'foo 1' }, 'expires_at'],
  ['extend to 2020-02-30', 'POST', `/provisioning/jobs/${NO_JOB}/extend`, { expires_at: '2020-02-30' }, 'expires_at'],
  [
    'extend to an offset Postgres refuses',
    'POST',
    `/provisioning/jobs/${NO_JOB}/extend`,
    { expires_at: '2099-01-01T00:00:00+20:00' },
    'expires_at',
  ],
  ['extend to a number', 'POST', `/provisioning/jobs/${NO_JOB}/extend`, { expires_at: 1796549208000 }, 'expires_at'],
  ['extend with an unknown field', 'POST', `/provisioning/jobs/${NO_JOB}/extend`, { expires_at: soon(), x: 1 }, 'x'],
  ['destroy with a reason that is a list', 'POST', `/provisioning/jobs/${NO_JOB}/destroy`, { reason: ['a'] }, 'reason'],
  [
    'cancel with a reason of 501 characters',
    'POST',
    `/provisioning/jobs/${NO_JOB}/cancel`,
    { reason: 'r'.repeat(501) },
    'reason',
  ],
  ['cancel with a reason holding NUL', 'POST', `/provisioning/jobs/${NO_JOB}/cancel`, { reason: 'a\u0000b' }, 'reason'],
  [
    'destroy with a __proto__ field',
    'POST',
    `/provisioning/jobs/${NO_JOB}/destroy`,
    JSON.parse('{"__proto__":{"a":1}}'),
    '__proto__',
  ],
  // The codec (the test gateway's codec takes the unscoped key).
  ['decode without payloads', 'POST', '/codec/decode', {}, 'payloads'],
  [
    'decode a payload whose data is not base64',
    'POST',
    '/codec/decode',
    { payloads: [{ metadata: {}, data: '%%%' }] },
    'payloads',
  ],
  [
    'decode a payload no key of the engine sealed',
    'POST',
    '/codec/decode',
    {
      payloads: [
        {
          metadata: { encoding: Buffer.from('binary/encrypted').toString('base64') },
          data: Buffer.from('not sealed at all').toString('base64'),
        },
      ],
    },
    'payloads',
  ],
];

/** A log line written because of a stack trace: pino's `stack`/`err` fields, or a V8 frame. */
const STACK = /"stack"|"err"\s*:|\\n\s+at |\n\s+at /;

// A real gateway over HTTP on the test database, its log captured. No worker runs: every request
// here is refused by the gateway before it would reach one. Each case is input a caller controls,
// so each must be a 400 that names the field and the reason, never a 5xx, and the gateway must not
// log a stack trace (or an error) for it: that is what tells bad input from a fault.
describe('malformed parameters on every endpoint', () => {
  let gateway: TestGateway;
  const lines: string[] = [];

  beforeAll(async () => {
    gateway = await startGateway('malformed-parameters', {}, { logLines: lines });
  });
  afterAll(() => gateway?.close());

  it('tries each job route with each malformed job id', () => {
    expect(JOB_ID_CASES).toHaveLength(JOB_ROUTES.length * BAD_IDS.length);
  });

  it.each(CASES)(
    'answers 400 naming the field when %s, and logs no stack trace',
    async (_what, method, path, body, field) => {
      const before = lines.length;
      const res = await gateway.call(path, { method, ...(body === undefined ? {} : { json: body }) });
      const answer: ApiBody = await res.json();
      expect({ status: res.status, code: answer.error?.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      const named = answer.error.details.filter((d: { field: string }) => d.field === field);
      expect(named.length).toBeGreaterThan(0);
      for (const { reason } of named) expect(reason).toEqual(expect.stringMatching(/\w+ \w+/));
      const written = lines.slice(before);
      expect(written.filter((l) => STACK.test(l))).toEqual([]);
      expect(written.filter((l) => /"level":(50|60)/.test(l))).toEqual([]);
    },
  );
});

import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { goDuration } from '../../src/provisioning/estimated-duration';
import { KEYS, type ApiBody, type TestGateway } from '../support/gateway';
import { eventually } from '../support/test-stack';
import { startEngine, type RunningEngine } from '../support/engine';

const TASK_QUEUE = 'seed-contract';
const SEED = join(__dirname, '../fixtures/seed');
const seedExample = (name: string): ApiBody => JSON.parse(readFileSync(join(SEED, name), 'utf8'));
// What Go's time.Duration.String() writes (and time.ParseDuration reads).
const GO_DURATION = /^-?(0s|\d+(\.\d+)?(ns|µs|ms)|(\d+h)?(\d+m)?\d+(\.\d+)?s)$/;

const jsonType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/**
 * Where `actual` does not have the seed example's shape: every field of the example, in the
 * example's order and first (added fields come after them), with the same JSON type, down into
 * nested objects. Empty when it has it.
 */
function seedShapeDifferences(example: ApiBody, actual: ApiBody, path = '$'): string[] {
  const keys = Object.keys(example);
  const order = Object.keys(actual).slice(0, keys.length);
  const differences = order.join() === keys.join() ? [] : [`${path}: fields ${order.join()} instead of ${keys.join()}`];
  for (const key of keys) {
    const [want, got] = [jsonType(example[key]), jsonType(actual[key])];
    if (want !== got) differences.push(`${path}.${key}: ${got} instead of ${want}`);
    else if (want === 'object') differences.push(...seedShapeDifferences(example[key], actual[key], `${path}.${key}`));
  }
  return differences;
}

// The seed's README is the contract the engine's callers are written against: its request, sent
// verbatim (a fresh tenant, slug and future expiry), must be accepted and provisioned, and every
// answer must have the shape of the seed's examples. Real gateway, worker, Temporal, Postgres
// and tofu (the local stack stands in for Google Cloud).
describe("the seed's contract", () => {
  let engine: RunningEngine;
  let gateway: TestGateway;

  beforeAll(async () => {
    engine = await startEngine(TASK_QUEUE);
    ({ gateway } = engine);
  });
  afterAll(() => engine?.stop());

  it('tells an answer without the seed shape apart', () => {
    const example = { success: true, nested: { a: 'x' }, n: 1 };
    expect(seedShapeDifferences(example, { success: true, nested: { a: 'y' }, n: 2, added: 0 })).toEqual([]);
    expect(seedShapeDifferences(example, { nested: { a: {} }, success: 'true', n: 1 })).toEqual([
      '$: fields nested,success,n instead of success,nested,n',
      '$.success: string instead of boolean',
      '$.nested.a: object instead of string',
    ]);
  });

  it("accepts the seed's own request, answers with the seed's shapes and provisions it to completed", async () => {
    const request = seedExample('provision-request.json');
    request.tenant_id = randomUUID();
    request.tenant_slug = `acme-cybersecurity-inc-${randomBytes(4).toString('hex')}`;
    // It asks for 30 days (poc_duration_days); its expires_at, a date of 2024, is given that far ahead.
    request.poc_config.expires_at = new Date(Date.now() + 30 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

    const submitted = await gateway.call('/provisioning/provision', { method: 'POST', json: request });
    const accepted: ApiBody = await submitted.json();
    // A refusal shows its body: which field, and why.
    expect([submitted.status, submitted.status === 202 ? 'accepted' : accepted]).toEqual([202, 'accepted']);
    const seedAccepted = seedExample('provision-response.json');
    expect(seedShapeDifferences(seedAccepted, accepted)).toEqual([]);
    expect(accepted).toMatchObject({
      success: true,
      message: seedAccepted.message,
      status: seedAccepted.status,
      job_id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      estimated_duration: expect.stringMatching(GO_DURATION),
      progress_tracking_url: `/api/v1/provisioning/status/${accepted.job_id}`,
    });
    expect(accepted.estimated_duration).toBe(goDuration(accepted.estimated_duration_seconds));

    // The caller follows progress_tracking_url from the API's origin, as the seed's client does.
    const statusUrl = `${new URL(gateway.base).origin}${accepted.progress_tracking_url}`;
    const read = async (): Promise<ApiBody> =>
      (await fetch(statusUrl, { headers: { authorization: `Bearer ${KEYS.all}` } })).json();
    const done = await eventually(read, (s) => s.status === 'completed' || s.status === 'failed', 300_000);
    const seedStatus = seedExample('status-response.json');
    expect(seedShapeDifferences(seedStatus, done)).toEqual([]);
    expect(done).toMatchObject({
      success: true,
      job_id: accepted.job_id,
      status: 'completed',
      message: seedStatus.message,
      // The seed's Go client reads ErrorMessage; it is there, and null unless the job failed.
      error_message: null,
    });
    expect(Object.keys(done.provisioned_resources).sort()).toEqual(
      Object.keys(seedStatus.provisioned_resources).sort(),
    );
    for (const name of Object.values(done.provisioned_resources)) expect(name).toMatch(/^[a-z][a-z0-9-]*$/);
    expect(Object.keys(done.service_endpoints).sort()).toEqual(Object.keys(seedStatus.service_endpoints).sort());
    for (const url of Object.values(done.service_endpoints)) expect(new URL(url as string).protocol).toBe('https:');
  }, 600_000);

  it("answers health in the seed's shape", async () => {
    const seedHealth = seedExample('health-response.json');
    const res = await eventually(
      async () => {
        const r = await gateway.call('/health', { key: null });
        return { status: r.status, body: await r.json() };
      },
      (r) => r.body.status === 'healthy',
      30_000,
    );
    expect(res.status).toBe(200);
    expect(seedShapeDifferences(seedHealth, res.body)).toEqual([]);
    expect(res.body).toMatchObject({ status: 'healthy', database: 'connected', queue: 'healthy' });
    expect(Number.isInteger(res.body.workers) && res.body.workers >= 1).toBe(true);
    expect(new Date(res.body.timestamp).toISOString()).toBe(res.body.timestamp);
  });
});

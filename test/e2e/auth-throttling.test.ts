import { randomBytes, randomUUID } from 'node:crypto';
import { startGateway, type TestGateway } from '../support/gateway';

const MISSING_JOB = '/provisioning/status/00000000-0000-4000-8000-000000000000';

/** A documentation address (RFC 3849) no other test uses, as the client a proxy names. */
const aClientAddress = () => `2001:db8::${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}`;

// Two gateway replicas on the run's one database, behind a (loopback) proxy that names the
// client in X-Forwarded-For. The limits are set low here, on these gateways only, and every
// key and client address is this test's own: the counters are shared by the whole run.
describe('throttling across gateway replicas', () => {
  const goodKey = `throttle-good-${randomUUID()}`;
  const calmKey = `throttle-calm-${randomUUID()}`;
  const rateKey = `throttle-rate-${randomUUID()}`;
  let a: TestGateway;
  let b: TestGateway;

  beforeAll(async () => {
    const env = {
      PROVISIONING_API_KEYS: `${goodKey},${calmKey}:read,${rateKey}:read`,
      TRUST_PROXY: 'loopback',
      AUTH_FAILURE_LIMIT: '3',
      AUTH_FAILURE_WINDOW_SECONDS: '600',
      RATE_LIMIT_PER_MINUTE: '3',
    };
    [a, b] = [await startGateway('throttling', env), await startGateway('throttling', env)];
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  const from = (client: string, gateway: TestGateway, key: string | null, path = MISSING_JOB, init: RequestInit = {}) =>
    gateway.call(path, { ...init, key, headers: { 'x-forwarded-for': client } });

  it('answers 429 with Retry-After to an address after its third failed authentication, on every replica, even with a valid key', async () => {
    const client = aClientAddress();
    expect((await from(client, a, 'not-a-key-0123456789')).status).toBe(401);
    expect((await from(client, b, 'not-a-key-0123456789')).status).toBe(401);
    expect((await from(client, a, 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln')).status).toBe(401);

    // Blocked before any key is compared: the valid key is refused too, on either replica.
    const blocked = await from(client, b, goodKey);
    expect(blocked.status).toBe(429);
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(await blocked.json()).toMatchObject({ success: false, error: { code: 'RATE_LIMITED' } });
    expect((await from(client, a, goodKey)).status).toBe(429);
    // The codec endpoints authenticate through the same path, so they are closed to it too.
    const decode = await from(client, a, goodKey, '/codec/decode', { method: 'POST', body: '{"payloads":[]}' });
    expect(decode.status).toBe(429);

    // Another address is not affected, and public routes stay open to the blocked one.
    expect((await from(aClientAddress(), a, goodKey)).status).toBe(404);
    expect((await from(client, a, null, '/health')).status).not.toBe(429);
  });

  it('does not count calls with a valid key, nor calls without any, as failures', async () => {
    const client = aClientAddress();
    // Three of each: counted, the third call without a key would block the valid one after it.
    for (let i = 0; i < 3; i += 1) {
      expect((await from(client, i % 2 ? a : b, null)).status).toBe(401);
      expect((await from(client, i % 2 ? b : a, calmKey)).status).toBe(404);
    }
  });

  it("counts a key's calls on every replica against one per-minute limit", async () => {
    const client = aClientAddress();
    const codes = [];
    for (const gateway of [a, b, a, b]) codes.push((await from(client, gateway, rateKey)).status);
    expect(codes).toEqual([404, 404, 404, 429]);
  });
});

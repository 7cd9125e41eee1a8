import { SignJWT } from 'jose';
import { startGateway, type TestGateway } from '../support/gateway';

const JWT_SECRET = 'jwt-secret-for-e2e-tests-0123456789abcdef';
const UNKNOWN_JOB = '/provisioning/status/00000000-0000-4000-8000-000000000000';
const YEAR = 365 * 24 * 3600;

/** A token from the configured issuer for the gateway's audience, with the given times (seconds). */
function token(times: { iat?: number; exp?: number }): Promise<string> {
  const jwt = new SignJWT({ scope: 'read' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('signup-backend')
    .setIssuer('https://signup.test')
    .setAudience('poc-engine');
  if (times.iat !== undefined) jwt.setIssuedAt(times.iat);
  if (times.exp !== undefined) jwt.setExpirationTime(times.exp);
  return jwt.sign(new TextEncoder().encode(JWT_SECRET));
}

// A real gateway over HTTP (no worker needed: the status of an unknown job is a 404 once admitted).
describe('service JWTs over HTTP', () => {
  let gateway: TestGateway;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    gateway = await startGateway('service-tokens', {
      JWT_ISSUER: 'https://signup.test',
      JWT_AUDIENCE: 'poc-engine',
      JWT_SECRET,
      JWT_MAX_LIFETIME_SECONDS: '3600',
    });
  });
  afterAll(() => gateway.close());

  it('admits a token issued now for ten minutes', async () => {
    const answer = await gateway.call(UNKNOWN_JOB, { key: await token({ iat: now(), exp: now() + 600 }) });
    expect(answer.status).toBe(404);
  });

  it.each([
    ['with no exp claim', () => ({ iat: now() }), 'no "exp" claim'],
    ['issued a year ahead with ten years of validity', () => ({ iat: now() + YEAR, exp: now() + 10 * YEAR }), 'future'],
    ['valid for a day, longer than the one-hour maximum', () => ({ iat: now(), exp: now() + 24 * 3600 }), 'lifetime'],
  ])('answers 401 to a token %s, naming the rule but not the token', async (_case, times, reason) => {
    const key = await token(times());
    const answer = await gateway.call(UNKNOWN_JOB, { key });
    expect(answer.status).toBe(401);
    const { error } = (await answer.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toContain(reason);
    expect(error.message).not.toContain(key.split('.')[1]);
    expect(error.message).not.toContain(JWT_SECRET);
  });
});

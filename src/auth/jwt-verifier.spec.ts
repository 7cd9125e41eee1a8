import { SignJWT } from 'jose';
import { JwtVerifier, type JwtVerdict } from './jwt-verifier';

const SECRET = 'jwt-secret-for-unit-tests-0123456789';
const ISSUER = 'https://signup.example';
const AUDIENCE = 'poc-engine';
const NOW = new Date('2026-06-01T12:00:00Z');
const nowSeconds = NOW.getTime() / 1000;
const HOUR = 3600;
const YEAR = 365 * 24 * HOUR;
const verifier = new JwtVerifier({
  issuer: ISSUER,
  audience: AUDIENCE,
  secret: SECRET,
  maxLifetimeSeconds: HOUR,
  clockSkewSeconds: 60,
});

/** A token signed with the right key, issuer and audience; the claims given override the times and subject. */
async function token(
  claims: { iat?: number | null; exp?: number | null; sub?: string | null },
  extra: Record<string, unknown> = {},
): Promise<string> {
  const jwt = new SignJWT({ scope: 'read', ...extra })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE);
  const iat = claims.iat === undefined ? nowSeconds : claims.iat;
  const exp = claims.exp === undefined ? nowSeconds + 300 : claims.exp;
  const sub = claims.sub === undefined ? 'signup-backend' : claims.sub;
  if (iat !== null) jwt.setIssuedAt(iat);
  if (exp !== null) jwt.setExpirationTime(exp);
  if (sub !== null) jwt.setSubject(sub);
  return jwt.sign(new TextEncoder().encode(SECRET));
}

const reasonOf = (verdict: JwtVerdict) => (verdict.ok ? 'accepted' : verdict.reason);

describe('JwtVerifier', () => {
  it('accepts a token issued now for five minutes, as its subject with its scopes', async () => {
    const verdict = await verifier.verify(await token({}), NOW);
    expect(verdict).toEqual({ ok: true, principal: { id: 'jwt:signup-backend', scopes: ['read'] } });
  });

  it.each([
    ['a number', 123],
    ['an object', { a: 1 }],
    ['an array', ['signup-backend']],
  ])('refuses a token whose sub claim is %s, not a string', async (_kind, sub) => {
    expect(reasonOf(await verifier.verify(await token({ sub: null }, { sub }), NOW))).toBe(
      'its "sub" claim is not a string',
    );
  });

  it('refuses a sub longer than the principal id can hold whole, so two subjects never share an id', async () => {
    expect(reasonOf(await verifier.verify(await token({ sub: 's'.repeat(61) }), NOW))).toBe(
      'its "sub" claim is longer than 60 characters',
    );
    expect(await verifier.verify(await token({ sub: 's'.repeat(60) }), NOW)).toMatchObject({
      ok: true,
      principal: { id: `jwt:${'s'.repeat(60)}` },
    });
  });

  it('accepts a token issued within the clock skew ahead of the gateway clock', async () => {
    expect(reasonOf(await verifier.verify(await token({ iat: nowSeconds + 30, exp: nowSeconds + 600 }), NOW))).toBe(
      'accepted',
    );
  });

  it.each([
    ['with no exp claim, which would be valid for ever', { exp: null }, 'it has no "exp" claim'],
    ['with no iat claim, whose age is unknown', { iat: null }, 'it has no "iat" claim'],
    ['with no sub claim, which names nobody', { sub: null }, 'it has no "sub" claim'],
    [
      'issued a year in the future with ten years of validity',
      { iat: nowSeconds + YEAR, exp: nowSeconds + 11 * YEAR },
      'it is issued in the future ("iat")',
    ],
    [
      'issued beyond the clock skew in the future',
      { iat: nowSeconds + 120, exp: nowSeconds + 600 },
      'it is issued in the future ("iat")',
    ],
    [
      'valid for longer than the maximum lifetime',
      { iat: nowSeconds, exp: nowSeconds + 2 * HOUR },
      'its lifetime ("exp" - "iat") exceeds 3600 seconds',
    ],
    [
      'older than the maximum though not yet expired',
      { iat: nowSeconds - 2 * HOUR, exp: nowSeconds + 60 },
      'it is older than 3600 seconds ("iat")',
    ],
    ['that expired beyond the clock skew', { iat: nowSeconds - 600, exp: nowSeconds - 120 }, 'it has expired ("exp")'],
  ])('refuses a token %s, naming the rule', async (_case, claims, reason) => {
    expect(reasonOf(await verifier.verify(await token(claims), NOW))).toBe(reason);
  });

  it('refuses a token signed with another secret without saying more than that it does not verify', async () => {
    const forged = await new SignJWT({ scope: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('intruder')
      .setIssuedAt(nowSeconds)
      .setExpirationTime(nowSeconds + 60)
      .sign(new TextEncoder().encode('x'.repeat(40)));
    const reason = reasonOf(await verifier.verify(forged, NOW));
    expect(reason).toBe('it does not verify (signature, algorithm, issuer or audience)');
    expect(reason).not.toContain(SECRET);
  });

  describe('the tenants claim (ADR 0019)', () => {
    const T1 = '11111111-1111-4111-8111-111111111111';
    const T2 = 'AAAAAAAA-2222-4222-8222-222222222222';

    it('limits the principal to the tenants it lists, kept lower-case', async () => {
      const verdict = await verifier.verify(await token({}, { tenants: [T1, T2] }), NOW);
      expect(verdict).toEqual({
        ok: true,
        principal: { id: 'jwt:signup-backend', scopes: ['read'], tenants: [T1, T2.toLowerCase()] },
      });
    });

    it('leaves a token without the claim unscoped', async () => {
      const verdict = await verifier.verify(await token({}), NOW);
      expect(verdict.ok && 'tenants' in verdict.principal).toBe(false);
    });

    it.each([
      ['a string, not a list', T1, 'its "tenants" claim is not a list of tenant ids'],
      ['an empty list, which names no tenant', [], 'its "tenants" claim names no tenant id'],
      ['a list with an id that is not a UUID', [T1, 'acme'], 'its "tenants" claim tenant id 2 is not a UUID'],
      ['a list with a number', [7], 'its "tenants" claim tenant id 1 is not a UUID'],
      ['an object', { [T1]: true }, 'its "tenants" claim is not a list of tenant ids'],
      ['null', null, 'its "tenants" claim is not a list of tenant ids'],
    ])(
      'refuses a token whose tenants claim is %s, rather than reading it as every tenant',
      async (_c, tenants, reason) => {
        expect(reasonOf(await verifier.verify(await token({}, { tenants }), NOW))).toBe(reason);
      },
    );
  });
});

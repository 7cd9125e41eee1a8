import type { ExecutionContext } from '@nestjs/common';
import { SignJWT } from 'jose';
import { parseApiKeys } from '../auth/api-keys';
import { Authenticator } from '../auth/authenticator';
import type { AppConfig } from '../config/app-config';
import { DomainError } from '../domain/domain-error';
import { CodecAuthGuard } from './codec-auth.guard';

const FULL_KEY = 'f'.repeat(20);
const READ_KEY = 'r'.repeat(20);
const jwtConfig = {
  issuer: 'https://signup.example',
  audience: 'poc-engine',
  secret: 's'.repeat(40),
  maxLifetimeSeconds: 3600,
  clockSkewSeconds: 60,
};
const config = (requireApiKey: boolean) =>
  ({
    auth: { apiKeys: parseApiKeys(`${FULL_KEY},${READ_KEY}:read`).entries, jwt: jwtConfig },
    codec: { corsOrigins: [], requireApiKey },
  }) as unknown as AppConfig;

const token = (scope: string) =>
  new SignJWT({ scope })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('ops-console')
    .setIssuer(jwtConfig.issuer)
    .setAudience(jwtConfig.audience)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(jwtConfig.secret));

async function outcome(headers: Record<string, string>, requireApiKey = true): Promise<string> {
  const c = config(requireApiKey);
  const guard = new CodecAuthGuard(new Authenticator(c), c);
  const ctx = {
    switchToHttp: () => ({ getRequest: () => ({ headers }), getResponse: () => ({ setHeader: () => undefined }) }),
  } as unknown as ExecutionContext;
  try {
    return (await guard.canActivate(ctx)) ? 'admitted' : 'refused';
  } catch (e) {
    return e instanceof DomainError ? e.code : `unexpected ${String(e)}`;
  }
}

describe('CodecAuthGuard', () => {
  it('admits an API key and a service JWT that hold the credentials scope', async () => {
    expect(await outcome({ 'x-api-key': FULL_KEY })).toBe('admitted');
    expect(await outcome({ authorization: `Bearer ${await token('read credentials')}` })).toBe('admitted');
  });

  it('refuses a caller without credentials, or with an invalid one, as UNAUTHENTICATED', async () => {
    expect(await outcome({})).toBe('UNAUTHENTICATED');
    expect(await outcome({ 'x-api-key': 'x'.repeat(20) })).toBe('UNAUTHENTICATED');
  });

  it('refuses a valid API key or JWT without the credentials scope as FORBIDDEN', async () => {
    expect(await outcome({ 'x-api-key': READ_KEY })).toBe('FORBIDDEN');
    expect(await outcome({ authorization: `Bearer ${await token('read provision')}` })).toBe('FORBIDDEN');
  });

  it('admits anyone with CODEC_AUTH=none', async () => {
    expect(await outcome({}, false)).toBe('admitted');
  });
});

import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SignJWT } from 'jose';
import type { AppConfig } from '../config/app-config';
import { DomainError } from '../domain/domain-error';
import { parseApiKeys } from './api-keys';
import { AuthGuard, presentedApiKey } from './auth.guard';
import { Authenticator } from './authenticator';
import { IS_PUBLIC } from './public.decorator';
import { REQUIRED_SCOPE } from './require-scope.decorator';
import type { Scope } from './scopes';

const KEY = 'k'.repeat(20);
const OTHER_KEY = 'o'.repeat(24);
const READER_KEY = 'r'.repeat(20);
const JWT_SECRET = 's'.repeat(40);
const jwtConfig = {
  issuer: 'https://signup.example',
  audience: 'poc-engine',
  secret: JWT_SECRET,
  maxLifetimeSeconds: 3600,
  clockSkewSeconds: 60,
};
const guard = new AuthGuard(
  new Reflector(),
  new Authenticator({
    auth: { apiKeys: parseApiKeys(`${KEY},${OTHER_KEY}:provision+read,${READER_KEY}:read`).entries, jwt: jwtConfig },
  } as unknown as AppConfig),
);

function handlerNeeding(scope?: Scope, isPublic = false): () => void {
  const handler = () => undefined;
  if (scope) Reflect.defineMetadata(REQUIRED_SCOPE, scope, handler);
  if (isPublic) Reflect.defineMetadata(IS_PUBLIC, true, handler);
  return handler;
}

function context(req: { headers: Record<string, string> }, handler: () => void): ExecutionContext {
  return {
    getHandler: () => handler,
    getClass: () => class {},
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => ({ setHeader: () => undefined }) }),
  } as unknown as ExecutionContext;
}

/** 'admitted' when the guard lets the request in, else the code of the DomainError it threw. */
async function outcome(headers: Record<string, string>, handler = handlerNeeding()): Promise<string> {
  try {
    return (await guard.canActivate(context({ headers }, handler))) ? 'admitted' : 'refused';
  } catch (e) {
    return e instanceof DomainError ? e.code : `unexpected ${String(e)}`;
  }
}

const jwt = (
  claims: Record<string, unknown>,
  opts: { issuer?: string; secret?: string; expiresIn?: string; subject?: string } = {},
) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(opts.subject ?? 'signup-backend')
    .setIssuer(opts.issuer ?? jwtConfig.issuer)
    .setAudience(jwtConfig.audience)
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '5m')
    .sign(new TextEncoder().encode(opts.secret ?? JWT_SECRET));

describe('presentedApiKey', () => {
  it.each([
    ['a Bearer authorization header', { authorization: `Bearer ${KEY}` }, KEY],
    ['a lowercase bearer scheme with extra spaces', { authorization: `bearer   ${KEY}` }, KEY],
    ['an X-API-Key header', { 'x-api-key': KEY }, KEY],
    ['a Bearer header over an X-API-Key header', { authorization: 'Bearer first', 'x-api-key': 'second' }, 'first'],
  ])('reads the key from %s', (_case, headers, expected) => {
    expect(presentedApiKey({ headers })).toBe(expected);
  });

  it.each([
    ['no header at all', {}],
    ['a non-Bearer authorization scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['an empty X-API-Key header', { 'x-api-key': '' }],
  ])('finds no key in %s', (_case, headers) => {
    expect(presentedApiKey({ headers })).toBeUndefined();
  });
});

describe('AuthGuard', () => {
  it.each([
    ['a configured key as Bearer', { authorization: `Bearer ${KEY}` }],
    ['another configured key as X-API-Key', { 'x-api-key': OTHER_KEY }],
  ])('admits %s', async (_case, headers) => {
    expect(await outcome(headers)).toBe('admitted');
  });

  it.each([
    ['a wrong key', { 'x-api-key': 'k'.repeat(19) }],
    ['no key', {}],
  ])('refuses %s as UNAUTHENTICATED', async (_case, headers) => {
    expect(await outcome(headers)).toBe('UNAUTHENTICATED');
  });

  it('admits a route marked public without a key', async () => {
    expect(await outcome({}, handlerNeeding(undefined, true))).toBe('admitted');
  });

  it('refuses a key without the route scope as FORBIDDEN, and admits one with it', async () => {
    expect(await outcome({ 'x-api-key': READER_KEY }, handlerNeeding('provision'))).toBe('FORBIDDEN');
    expect(await outcome({ 'x-api-key': OTHER_KEY }, handlerNeeding('provision'))).toBe('admitted');
    expect(await outcome({ 'x-api-key': OTHER_KEY }, handlerNeeding('credentials'))).toBe('FORBIDDEN');
  });

  it('lets a key with every scope (no scope list) through every route', async () => {
    for (const scope of ['provision', 'read', 'credentials', 'admin'] as const) {
      expect(await outcome({ 'x-api-key': KEY }, handlerNeeding(scope))).toBe('admitted');
    }
  });

  it('records the caller as a key id, never the key', async () => {
    const req: { headers: Record<string, string>; principal?: { id: string } } = { headers: { 'x-api-key': KEY } };
    await guard.canActivate(context(req, handlerNeeding()));
    expect(req.principal?.id).toMatch(/^key:[0-9a-f]{12}$/);
    expect(req.principal?.id).not.toContain(KEY);
  });

  it("puts a tenant-scoped key's tenants on the principal, and none on an unscoped key's", async () => {
    const tenant = '11111111-1111-4111-8111-111111111111';
    const scopedKey = 't'.repeat(20);
    const scopedGuard = new AuthGuard(
      new Reflector(),
      new Authenticator({
        auth: { apiKeys: parseApiKeys(`${KEY},${scopedKey}:read@${tenant}`).entries },
      } as unknown as AppConfig),
    );
    const principalOf = async (key: string) => {
      const req: { headers: Record<string, string>; principal?: { tenants?: readonly string[] } } = {
        headers: { 'x-api-key': key },
      };
      await scopedGuard.canActivate(context(req, handlerNeeding()));
      return req.principal;
    };
    expect((await principalOf(scopedKey))?.tenants).toEqual([tenant]);
    expect(await principalOf(KEY)).not.toHaveProperty('tenants');
  });

  it('admits a valid service JWT with the scope in its scope claim', async () => {
    const token = await jwt({ scope: 'provision read' });
    expect(await outcome({ authorization: `Bearer ${token}` }, handlerNeeding('provision'))).toBe('admitted');
    expect(await outcome({ authorization: `Bearer ${token}` }, handlerNeeding('credentials'))).toBe('FORBIDDEN');
  });

  it.each([
    ['from another issuer', () => jwt({ scope: 'read' }, { issuer: 'https://evil.example' })],
    ['signed with another secret', () => jwt({ scope: 'read' }, { secret: 'x'.repeat(40) })],
    ['that has expired', () => jwt({ scope: 'read' }, { expiresIn: '-1m' })],
    ['whose subject holds NUL, which no record can store', () => jwt({ scope: 'read' }, { subject: 'svc\u0000x' })],
  ])('refuses a JWT %s as UNAUTHENTICATED', async (_case, make) => {
    expect(await outcome({ authorization: `Bearer ${await make()}` })).toBe('UNAUTHENTICATED');
  });

  it('names the rule a refused JWT broke, and nothing of the token or the secret', async () => {
    const token = await jwt({ scope: 'read' }, { expiresIn: '-1m' });
    const refusal = await guard
      .canActivate(context({ headers: { authorization: `Bearer ${token}` } }, handlerNeeding()))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(refusal).toBeInstanceOf(DomainError);
    const message = (refusal as DomainError).message;
    expect(message).toContain('expired');
    expect(message).not.toContain(JWT_SECRET);
    expect(message).not.toContain(token.split('.')[1]);
  });
});

describe('parseApiKeys', () => {
  it('reads keys with and without scopes', () => {
    const { entries, problems } = parseApiKeys(`${KEY}, ${OTHER_KEY}:provision+read`);
    expect(problems).toEqual([]);
    expect(entries.map((e) => e.scopes)).toEqual([
      ['provision', 'read', 'credentials', 'admin'],
      ['provision', 'read'],
    ]);
  });

  it('names each bad entry without echoing its key', () => {
    const { problems } = parseApiKeys(`short,${KEY}:root`);
    expect(problems).toEqual([
      'entry 1: the key must be at least 16 characters',
      'entry 2: unknown scope(s) root; use provision, read, credentials, admin',
    ]);
    expect(problems.join(' ')).not.toContain(KEY);
  });
});

import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AppConfig } from '../config/app-config';
import { DomainError } from '../domain/domain-error';
import { ApiKeyGuard, presentedApiKey } from './api-key.guard';
import { IS_PUBLIC } from './public.decorator';

const KEY = 'k'.repeat(20);
const OTHER_KEY = 'o'.repeat(24);
const guard = new ApiKeyGuard(new Reflector(), { auth: { apiKeys: [KEY, OTHER_KEY] } } as unknown as AppConfig);

function context(headers: Record<string, string>, handler: () => void = () => undefined): ExecutionContext {
  return {
    getHandler: () => handler,
    getClass: () => class {},
    switchToHttp: () => ({ getRequest: () => ({ headers }) }),
  } as unknown as ExecutionContext;
}

/** 'admitted' when the guard lets the request in, else the code of the DomainError it threw. */
function outcome(headers: Record<string, string>, handler?: () => void): string {
  try {
    return guard.canActivate(context(headers, handler)) ? 'admitted' : 'refused';
  } catch (e) {
    return e instanceof DomainError ? e.code : `unexpected ${String(e)}`;
  }
}

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

describe('ApiKeyGuard', () => {
  it.each([
    ['a configured key as Bearer', { authorization: `Bearer ${KEY}` }],
    ['another configured key as X-API-Key', { 'x-api-key': OTHER_KEY }],
  ])('admits %s', (_case, headers) => {
    expect(outcome(headers)).toBe('admitted');
  });

  it.each([
    ['a wrong key', { 'x-api-key': 'k'.repeat(19) }],
    ['no key', {}],
  ])('refuses %s as UNAUTHENTICATED', (_case, headers) => {
    expect(outcome(headers)).toBe('UNAUTHENTICATED');
  });

  it('admits a route marked public without a key', () => {
    const handler = () => undefined;
    Reflect.defineMetadata(IS_PUBLIC, true, handler);
    expect(outcome({}, handler)).toBe('admitted');
  });
});

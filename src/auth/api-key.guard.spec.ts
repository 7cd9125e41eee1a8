import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AppConfig } from '../config/app-config';
import { DomainError } from '../domain/domain-error';
import { ApiKeyGuard, presentedApiKey } from './api-key.guard';
import { IS_PUBLIC } from './public.decorator';

const KEY = 'k'.repeat(20);
const guard = new ApiKeyGuard(new Reflector(), {
  auth: { apiKeys: ['other-key-123456789', KEY] },
} as unknown as AppConfig);

function context(headers: Record<string, string>, handler: () => void = () => undefined): ExecutionContext {
  return {
    getHandler: () => handler,
    getClass: () => class {},
    switchToHttp: () => ({ getRequest: () => ({ headers }) }),
  } as unknown as ExecutionContext;
}

const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'passed';
  } catch (e) {
    return e instanceof DomainError ? e.code : 'other';
  }
};

describe('API key authentication', () => {
  it.each([
    [{ authorization: `Bearer ${KEY}` }, KEY],
    [{ authorization: `bearer   ${KEY}` }, KEY],
    [{ 'x-api-key': KEY }, KEY],
    [{ authorization: 'Bearer first', 'x-api-key': 'second' }, 'first'],
    [{ authorization: 'Basic abc' }, undefined],
    [{}, undefined],
  ])('reads the key from %j', (headers, expected) => {
    expect(presentedApiKey({ headers })).toBe(expected);
  });

  it('admits any configured key', () => {
    expect(codeOf(() => guard.canActivate(context({ 'x-api-key': KEY })))).toBe('passed');
  });

  it.each([[{ 'x-api-key': 'k'.repeat(19) }], [{}]])('refuses %j as unauthenticated', (headers) => {
    expect(codeOf(() => guard.canActivate(context(headers)))).toBe('UNAUTHENTICATED');
  });

  it('admits a public route without a key', () => {
    const handler = () => undefined;
    Reflect.defineMetadata(IS_PUBLIC, true, handler);
    expect(codeOf(() => guard.canActivate(context({}, handler)))).toBe('passed');
  });
});

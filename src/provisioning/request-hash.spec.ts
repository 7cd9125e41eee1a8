import { createHash, randomBytes } from 'node:crypto';
import { requestHashesOf } from './request-hash';

const key = randomBytes(32);
const first = (body: object, keys: Buffer[] = [key]) => requestHashesOf(body, keys)[0];

describe('requestHashesOf', () => {
  it('hashes the same request the same whatever its key order or request_id', () => {
    expect(first({ a: 1, b: { c: [1, 2], d: 'x' }, request_id: 'one' })).toBe(
      first({ b: { d: 'x', c: [1, 2] }, a: 1, request_id: 'two' }),
    );
  });

  it('hashes a different request differently', () => {
    expect(first({ a: 1, b: { c: [1, 2] } })).not.toBe(first({ a: 1, b: { c: [2, 1] } }));
  });

  it('stores a keyed hash: without the key, a guessed contact e-mail cannot be confirmed from the row', () => {
    const request = { tenant_id: 't', company_info: { contact_email: 'jane@roe.test' } };
    const guess = createHash('sha256')
      .update('{"company_info":{"contact_email":"jane@roe.test"},"tenant_id":"t"}')
      .digest('hex');
    expect(requestHashesOf(request, [key]).at(-1)).toBe(guess); // the canonical text, unkeyed
    expect(first(request)).not.toBe(guess);
    expect(first(request, [randomBytes(32)])).not.toBe(first(request));
  });

  it('still matches hashes stored under a retired key and unkeyed ones of jobs accepted before', () => {
    const request = { a: 1 };
    const newKey = randomBytes(32);
    const rotating = requestHashesOf(request, [newKey, key]);
    expect(rotating).toContain(first(request, [key]));
    expect(rotating[rotating.length - 1]).toBe(createHash('sha256').update('{"a":1}').digest('hex'));
  });
});

import { requestHashOf } from './request-hash';

describe('requestHashOf', () => {
  it('hashes the same request the same whatever its key order or request_id', () => {
    expect(requestHashOf({ a: 1, b: { c: [1, 2], d: 'x' }, request_id: 'one' })).toBe(
      requestHashOf({ b: { d: 'x', c: [1, 2] }, a: 1, request_id: 'two' }),
    );
  });

  it('hashes a different request differently', () => {
    expect(requestHashOf({ a: 1, b: { c: [1, 2] } })).not.toBe(requestHashOf({ a: 1, b: { c: [2, 1] } }));
  });
});

import { DomainError } from '../domain/domain-error';
import { decodeCursor, encodeCursor } from './job-cursor';

describe('job list cursors', () => {
  it('decode to the position they were made from', () => {
    const at = { createdAt: '2026-11-27T10:00:00.123Z', jobId: '2f1c6a8e-1d2b-4c3d-9e8f-0a1b2c3d4e5f' };
    expect(decodeCursor(encodeCursor(at))).toEqual(at);
  });

  it.each([
    'not-base64!',
    Buffer.from('{"a":1}').toString('base64url'),
    Buffer.from('["x","y"]').toString('base64url'),
    // Date.parse takes these; Postgres would refuse the first (NUL) and misread the second.
    Buffer.from(JSON.stringify(['2026-01-01T00:00:00Z\u0000', '2f1c6a8e-1d2b-4c3d-9e8f-0a1b2c3d4e5f'])).toString(
      'base64url',
    ),
    Buffer.from(JSON.stringify(['Thu, 01 Jan 2026 00:00:00', '2f1c6a8e-1d2b-4c3d-9e8f-0a1b2c3d4e5f'])).toString(
      'base64url',
    ),
  ])('refuse a token that no page made (%s)', (token) => {
    expect(() => decodeCursor(token)).toThrow(DomainError);
  });
});

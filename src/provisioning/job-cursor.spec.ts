import { DomainError } from '../domain/domain-error';
import { decodeCursor, encodeCursor } from './job-cursor';

const JOB = '2f1c6a8e-1d2b-4c3d-9e8f-0a1b2c3d4e5f';
const token = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');

/** The reason the 400 gives for `token`, or 'accepted'. */
function refusal(t: string): string {
  try {
    decodeCursor(t);
    return 'accepted';
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    const [detail] = (e as DomainError).details;
    expect(detail.field).toBe('cursor');
    return detail.reason;
  }
}

describe('job list cursors', () => {
  it('decode to the position they were made from', () => {
    const at = { createdAt: '2026-11-27T10:00:00.123Z', jobId: JOB };
    expect(decodeCursor(encodeCursor(at))).toEqual(at);
  });

  it.each([
    ['not base64url', 'not-base64!', /not base64url/],
    ['longer than 512 characters', 'A'.repeat(513), /longer than 512/],
    ['not JSON', Buffer.from('{{').toString('base64url'), /does not decode/],
    ['an object', token({ a: 1 }), /a time and a job id/],
    ['one part', token(['2026-01-01T00:00:00Z']), /a time and a job id/],
    ['three parts', token(['2026-01-01T00:00:00Z', JOB, 'x']), /a time and a job id/],
    ['a job id of 36 dashes', token(['2026-01-01T00:00:00Z', '-'.repeat(36)]), /job id is not a UUID/],
    ['a job id that is a number', token(['2026-01-01T00:00:00Z', 7]), /job id is not a UUID/],
    ['a time of "foo 1"', token(['foo 1', JOB]), /its time must be an RFC 3339 instant/],
    ['a time of "2020-02-30"', token(['2020-02-30', JOB]), /its time must be an RFC 3339 instant/],
    ['the 30th of February at noon', token(['2020-02-30T12:00:00Z', JOB]), /its time/],
    ['an offset Postgres refuses', token(['2026-01-01T00:00:00+16:00', JOB]), /its time/],
    // Date.parse takes these; Postgres would refuse the first (NUL) and misread the second.
    ['a time with NUL', token(['2026-01-01T00:00:00Z\u0000', JOB]), /its time/],
    ['a time in RFC 2822', token(['Thu, 01 Jan 2026 00:00:00', JOB]), /its time/],
  ])('refuse a token that no page made (%s), naming cursor and why', (_case, t, reason) => {
    expect(refusal(t)).toMatch(reason);
  });
});

import { checkExpiry, TTL_POLICY } from './ttl-policy';

const DAY = 24 * 3600 * 1000;
const created = Date.parse('2030-01-01T00:00:00Z');

describe('TTL policy', () => {
  it('accepts an expiry within the tier maximum', () => {
    expect(checkExpiry({ tier: 'standard', createdAt: created, now: created, requested: created + 7 * DAY })).toEqual({
      ok: true,
    });
  });

  it('refuses an expiry beyond the tier maximum counted from creation', () => {
    const r = checkExpiry({
      tier: 'standard',
      createdAt: created,
      now: created + 20 * DAY,
      requested: created + 31 * DAY,
    });
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/at most 30 days after creation/) });
  });

  it('gives enterprise a longer maximum than standard', () => {
    expect(TTL_POLICY.enterprise.maxDays).toBeGreaterThan(TTL_POLICY.standard.maxDays);
    expect(
      checkExpiry({ tier: 'enterprise', createdAt: created, now: created, requested: created + 80 * DAY }).ok,
    ).toBe(true);
  });

  it.each([
    ['in the past', created - DAY, undefined, /in the future/],
    ['not later than the current expiry', created + 5 * DAY, created + 6 * DAY, /later than the current expiry/],
    ['not a date', Number.NaN, undefined, /ISO-8601/],
  ])('refuses an extension %s', (_what, requested, current, reason) => {
    const r = checkExpiry({ tier: 'professional', createdAt: created, now: created, requested, current });
    expect(r.ok).toBe(false);
    expect(r.ok === false && r.reason).toMatch(reason);
  });
});

import { isInstant } from './is-instant.validator';

describe('isInstant', () => {
  it.each([
    '2026-12-06T09:26:48Z',
    '2026-12-06T09:26:48.123Z',
    '2026-12-06T10:26:48+01:00',
    '2026-12-06T04:26:48-05:00',
    '2026-12-06T23:26:48+14:00',
    '2026-12-06T09:26:48-12:00',
  ])('accepts %s, an instant with an offset', (value) => {
    expect(isInstant(value)).toBe(true);
  });

  it.each([
    ['a date-time without an offset (read in the host time zone)', '2026-12-06T09:26:48'],
    ['a date only', '2026-12-06'],
    ['an offset without a colon', '2026-12-06T09:26:48+0100'],
    ['a space for the T', '2026-12-06 09:26:48Z'],
    ['a day that does not exist', '2026-02-30T09:26:48Z'],
    ['an hour 24', '2026-12-06T24:00:00Z'],
    ['words', 'next friday'],
    ['"foo 1"', 'foo 1'],
    ['a day that does not exist, without a time', '2020-02-30'],
    // RFC 3339's grammar takes these; Postgres refuses them ("time zone displacement out of range").
    ['an offset of 16 hours', '2026-12-06T09:26:48+16:00'],
    ['an offset of 23:59', '2026-12-06T09:26:48-23:59'],
    ['an offset of 14:30', '2026-12-06T09:26:48+14:30'],
    ['a number', 1796549208000],
  ])('refuses %s', (_case, value) => {
    expect(isInstant(value)).toBe(false);
  });
});

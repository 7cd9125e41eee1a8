import { isoDuration, typicalSeconds } from './estimated-duration';

describe('isoDuration', () => {
  it.each([
    [900, 'PT15M'],
    [90, 'PT1M30S'],
    [2, 'PT2S'],
    [0, 'PT0S'],
    [3661, 'PT1H1M1S'],
    [7200, 'PT2H'],
  ])('writes %i seconds as %s', (seconds, expected) => {
    expect(isoDuration(seconds)).toBe(expected);
  });
});

describe('typicalSeconds', () => {
  it('expects bigger tiers to take longer', () => {
    expect(typicalSeconds('enterprise')).toBeGreaterThan(typicalSeconds('standard'));
  });
});

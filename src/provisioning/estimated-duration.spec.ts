import { goDuration, typicalSeconds } from './estimated-duration';

describe('goDuration', () => {
  // Expected texts are what Go 1.26 prints for time.Duration(seconds * time.Second).String().
  it.each([
    [1800, '30m0s'],
    [3600, '1h0m0s'],
    [45, '45s'],
    [900, '15m0s'],
    [90, '1m30s'],
    [90.5, '1m30.5s'],
    [3661, '1h1m1s'],
    [360000, '100h0m0s'],
    [1, '1s'],
    [60, '1m0s'],
    [0, '0s'],
    [0.0015, '1.5ms'],
    [0.5, '500ms'],
    [0.000002, '2µs'],
    [0.0000015, '1.5µs'],
    [0.000000007, '7ns'],
    [1.000000001, '1.000000001s'],
    [-90, '-1m30s'],
    [-0.25, '-250ms'],
  ])('writes %d seconds as %s', (seconds, expected) => {
    expect(goDuration(seconds)).toBe(expected);
  });

  it('refuses a value that is not a finite number', () => {
    expect(() => goDuration(Number.NaN)).toThrow(RangeError);
  });
});

describe('typicalSeconds', () => {
  it('expects bigger tiers to take longer', () => {
    expect(typicalSeconds('enterprise')).toBeGreaterThan(typicalSeconds('standard'));
  });
});

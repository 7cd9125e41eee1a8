import { DRIFT_JITTER, describeDrift, nextDriftCheckDelayMs, sameDrift, type DriftCheckSettings } from './drift';

const settings: DriftCheckSettings = {
  intervalSeconds: { standard: 21_600, professional: 14_400, enterprise: 0 },
  policy: 'report',
};

describe('the drift check schedule', () => {
  it('waits the interval of the environment tier, spread by at most the jitter either way', () => {
    const low = nextDriftCheckDelayMs(settings, 'standard', 0);
    const mid = nextDriftCheckDelayMs(settings, 'standard', 0.5);
    const high = nextDriftCheckDelayMs(settings, 'standard', 0.999_999);
    expect(low).toBe(21_600_000 * (1 - DRIFT_JITTER));
    expect(mid).toBe(21_600_000);
    expect(high).toBeLessThan(21_600_000 * (1 + DRIFT_JITTER));
    expect(high).toBeGreaterThan(21_600_000 * (1 + DRIFT_JITTER) - 10);
    expect(nextDriftCheckDelayMs(settings, 'professional', 0.5)).toBe(14_400_000);
  });

  it('keeps every draw within the jitter bounds', () => {
    for (let i = 0; i <= 100; i += 1) {
      const delay = nextDriftCheckDelayMs(settings, 'professional', i / 101) ?? 0;
      expect(delay).toBeGreaterThanOrEqual(14_400_000 * (1 - DRIFT_JITTER));
      expect(delay).toBeLessThan(14_400_000 * (1 + DRIFT_JITTER));
    }
  });

  it('does not check a tier whose interval is 0', () => {
    expect(nextDriftCheckDelayMs(settings, 'enterprise', 0.5)).toBeNull();
  });

  it('never waits less than a second, however short the interval', () => {
    expect(
      nextDriftCheckDelayMs(
        { ...settings, intervalSeconds: { ...settings.intervalSeconds, standard: 1 } },
        'standard',
        0,
      ),
    ).toBe(1000);
  });
});

describe('drift findings', () => {
  const a = {
    address: 'module.poc.localcloud_cluster.this',
    action: 'update' as const,
    attributes: ['labels', 'node_count'],
  };
  const b = { address: 'module.poc.localcloud_network.this', action: 'delete' as const, attributes: [] };

  it('are the same drift whatever the order of resources and attributes', () => {
    expect(sameDrift([a, b], [b, { ...a, attributes: ['node_count', 'labels'] }])).toBe(true);
  });

  it('differ when an attribute, an action or a resource differs', () => {
    expect(sameDrift([a], [{ ...a, attributes: ['labels'] }])).toBe(false);
    expect(sameDrift([b], [{ ...b, action: 'update' }])).toBe(false);
    expect(sameDrift([a], [a, b])).toBe(false);
  });

  it('are described by names only', () => {
    expect(describeDrift([a, b])).toBe(
      'module.poc.localcloud_cluster.this changed (labels, node_count); module.poc.localcloud_network.this deleted',
    );
  });
});

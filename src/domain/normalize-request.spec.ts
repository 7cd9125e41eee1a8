import seedRequest from '../../test/fixtures/seed/provision-request.json';
import { DomainError } from './domain-error';
import { normalizeRequest, type ProvisionRequestInput } from './normalize-request';

const DAY_MS = 86_400_000;
const NOW = Date.parse('2026-11-29T12:00:00Z');

/** The seed's example request as the DTO hands it over, with expires_at 30 days from now. */
const seed = (expiresAt = new Date(NOW + 30 * DAY_MS).toISOString()) =>
  ({ ...seedRequest, poc_config: { ...seedRequest.poc_config, expires_at: expiresAt } }) as ProvisionRequestInput;

describe('normalizeRequest', () => {
  it("accepts the seed's request: enterprise allocation 16 CPU / 64 GB / 1000 GB / 100 users, 30 days both ways", () => {
    const r = normalizeRequest(seed(), NOW);
    expect(r.poc_config).toMatchObject({
      poc_tier: 'enterprise',
      expires_at: new Date(NOW + 30 * DAY_MS).toISOString(),
      resource_allocation: { cpu_cores: 16, memory_gb: 64, storage_gb: 1000, max_users: 100 },
    });
    expect(r.monitoring_config?.retention_days).toBe(90);
  });

  it('refuses the seed request with an expires_at that disagrees with its 30 days by more than a day', () => {
    const call = () => normalizeRequest(seed(new Date(NOW + 40 * DAY_MS).toISOString()), NOW);
    expect(call).toThrow(DomainError);
    expect(call).toThrow(/poc_config.expires_at/);
  });
});

import { POC_TIERS } from './poc-tier';
import type { ProvisionRequest } from './provision-request';
import { environmentOptions, RESIDENCY_REGION, TIER_INFRA_FEATURES } from './environment-options';
import { DATA_RESIDENCY_REGIONS } from './request-vocabulary';
import { TIER_LIMITS, allocationIssues } from './tier-limits';
import { TIER_SIZING } from './tier-sizing';

const request = (over: Partial<ProvisionRequest> = {}, poc: Partial<ProvisionRequest['poc_config']> = {}) =>
  ({
    tenant_id: '2f1c6a8e-1d2b-4c3d-9e8f-0a1b2c3d4e5f',
    tenant_slug: 'acme',
    company_info: { company_name: 'Acme' },
    poc_config: { poc_tier: 'standard', expires_at: '2030-01-01T00:00:00Z', ...poc },
    priority: 'standard',
    ...over,
  }) as ProvisionRequest;

const security = (over: object = {}) => ({
  data_residency_region: 'eu' as const,
  network_isolation_level: 'medium' as const,
  encryption_required: true,
  ...over,
});

describe('environmentOptions', () => {
  it('defaults to EU residency, medium isolation and encryption when security_config is absent', () => {
    expect(environmentOptions(request())).toMatchObject({
      region: 'europe-west1',
      networkIsolationLevel: 'medium',
      encryptionRequired: true,
      infraFeatures: [],
      productFeatures: [],
    });
  });

  it.each(DATA_RESIDENCY_REGIONS)('puts %s-resident data in its own cloud region', (residency) => {
    const opts = environmentOptions(request({ security_config: security({ data_residency_region: residency }) }));
    expect(opts.region).toBe(RESIDENCY_REGION[residency]);
  });

  it('gives every residency region a different cloud region', () => {
    expect(new Set(Object.values(RESIDENCY_REGION)).size).toBe(DATA_RESIDENCY_REGIONS.length);
  });

  it('passes isolation level and encryption through', () => {
    expect(
      environmentOptions(
        request({ security_config: security({ network_isolation_level: 'high', encryption_required: false }) }),
      ),
    ).toMatchObject({ networkIsolationLevel: 'high', encryptionRequired: false });
  });

  // Rule changed (issue 10): enabled_features are the tenant's product features and build no
  // infrastructure; optional infrastructure follows the tier and monitoring_config.
  it('passes the product features through unchanged and builds no infrastructure from them', () => {
    const opts = environmentOptions(
      request({}, { enabled_features: ['threat_detection', 'backups', 'high_availability', 'monitoring'] }),
    );
    expect(opts.productFeatures).toEqual(['threat_detection', 'backups', 'high_availability', 'monitoring']);
    expect(opts.infraFeatures).toEqual([]);
  });

  it.each(POC_TIERS)(
    'gives the %s tier its optional infrastructure, and monitoring when monitoring_config enables it',
    (tier) => {
      expect(environmentOptions(request({}, { poc_tier: tier })).infraFeatures).toEqual(TIER_INFRA_FEATURES[tier]);
      expect(
        environmentOptions(request({ monitoring_config: { enabled: true } }, { poc_tier: tier })).infraFeatures,
      ).toEqual([...TIER_INFRA_FEATURES[tier], 'monitoring']);
      expect(
        environmentOptions(request({ monitoring_config: { enabled: false } }, { poc_tier: tier })).infraFeatures,
      ).not.toContain('monitoring');
    },
  );

  it('gives backups from professional up and high availability to enterprise only', () => {
    expect(TIER_INFRA_FEATURES).toEqual({
      standard: [],
      professional: ['backups'],
      enterprise: ['backups', 'high_availability'],
    });
  });

  it.each(POC_TIERS)('sizes the %s tier at its minimum without an allocation', (tier) => {
    expect(environmentOptions(request({}, { poc_tier: tier }))).toMatchObject({
      nodeCount: TIER_SIZING[tier].nodeCount,
      machineType: TIER_SIZING[tier].machineType,
      databaseTier: TIER_SIZING[tier].databaseTier,
    });
  });

  it('adds nodes for a larger CPU or memory allocation', () => {
    const alloc = (cpu: number, mem: number) => ({ cpu_cores: cpu, memory_gb: mem, storage_gb: 10, max_users: 5 });
    expect(environmentOptions(request({}, { resource_allocation: alloc(2, 4) })).nodeCount).toBe(1);
    expect(environmentOptions(request({}, { resource_allocation: alloc(6, 4) })).nodeCount).toBe(3);
    expect(environmentOptions(request({}, { resource_allocation: alloc(2, 30) })).nodeCount).toBe(4);
  });

  it.each(POC_TIERS)('fits the largest %s allocation in at most 10 nodes', (tier) => {
    const opts = environmentOptions(request({}, { poc_tier: tier, resource_allocation: TIER_LIMITS[tier] }));
    expect(opts.nodeCount).toBeLessThanOrEqual(10);
    expect(opts.nodeCount * TIER_SIZING[tier].nodeCpus).toBeGreaterThanOrEqual(TIER_LIMITS[tier].cpu_cores);
  });
});

describe('allocationIssues', () => {
  it('accepts an allocation within the tier', () => {
    expect(allocationIssues('standard', TIER_LIMITS.standard)).toEqual([]);
  });

  it('names each part above the tier limit', () => {
    expect(
      allocationIssues('standard', { ...TIER_LIMITS.standard, cpu_cores: 9, max_users: 26 }).map((i) => i.field),
    ).toEqual(['poc_config.resource_allocation.cpu_cores', 'poc_config.resource_allocation.max_users']);
  });
});

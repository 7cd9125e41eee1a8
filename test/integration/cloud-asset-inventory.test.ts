import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudAssetInventory } from '../../activities/reconcile/cloud-inventory';
import { findDiscrepancies } from '../../activities/reconcile/find-discrepancies';
import { pocNameBase } from '../../activities/cloud/poc-names';

// Google Cloud itself is mocked here (and only it): a local HTTP server answers Cloud Asset
// Inventory's searchAllResources as the real API does (paged JSON), so the sweep's production
// inventory is exercised over real HTTP without a project.
describe('the sweep’s Cloud Asset Inventory (Google mocked)', () => {
  const TENANT = '3f0c9a52-6a7e-4f1b-9a40-0c1d2e3f4a5b';
  const requests: Array<{ url: string; authorization?: string }> = [];
  let server: Server;
  let endpoint: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push({ url: req.url ?? '', authorization: req.headers.authorization });
      const url = new URL(req.url ?? '/', 'http://google.invalid');
      const page =
        url.searchParams.get('pageToken') === 'p2'
          ? {
              results: [
                {
                  name: '//sqladmin.googleapis.com/projects/acme/instances/poc-acme-3f0c9a52-db-1a2b3c',
                  assetType: 'sqladmin.googleapis.com/Instance',
                  labels: { managed_by: 'poc-provisioning-engine', tenant_id: TENANT, tenant: 'acme' },
                },
              ],
            }
          : {
              results: [
                {
                  name: '//container.googleapis.com/projects/acme/locations/europe-west1-b/clusters/poc-acme-3f0c9a52-gke',
                  assetType: 'container.googleapis.com/Cluster',
                  labels: { managed_by: 'poc-provisioning-engine', tenant_id: TENANT, tenant: 'acme' },
                },
                // Somebody else's resource in the project: not the engine's.
                { name: '//compute.googleapis.com/x', assetType: 'compute.googleapis.com/Instance', labels: {} },
              ],
              nextPageToken: 'p2',
            };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(page));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('lists every page of labelled resources, authenticated, and the sweep reports them when no state tracks them', async () => {
    const inventory = new CloudAssetInventory({
      projectId: 'acme',
      accessToken: () => Promise.resolve('token-1'),
      endpoint,
    });

    const found = await inventory.labelledResources();

    expect(found.map((r) => r.tenantId)).toEqual([TENANT, TENANT]);
    expect(requests).toHaveLength(2);
    expect(requests[0].url).toMatch(/^\/v1\/projects\/acme:searchAllResources\?/);
    expect(decodeURIComponent(requests[0].url)).toContain('query=labels.managed_by:poc-provisioning-engine');
    expect(requests.every((r) => r.authorization === 'Bearer token-1')).toBe(true);

    const findings = findDiscrepancies({
      now: Date.now(),
      graceMs: 0,
      liveJobs: [],
      workspaces: [],
      states: [],
      cloud: found,
    });
    expect(findings).toEqual([
      expect.objectContaining({ kind: 'untracked_resources', tenantId: TENANT, tenantSlug: 'acme', tracked: 0 }),
    ]);
  });
});

// Google mocked as above: the stand-in answers each query as searchAllResources would.
describe('the proof of deletion’s per-tenant search in Cloud Asset Inventory (Google mocked)', () => {
  const TENANT = '3f0c9a52-6a7e-4f1b-9a40-0c1d2e3f4a5b';
  const OTHER = '8d2e4b61-1c3f-4e5a-8b6c-7d8e9f0a1b2c';
  const base = pocNameBase(TENANT, 'acme');
  const queries: string[] = [];
  let server: Server;
  let endpoint: string;
  const compute = (kind: string, name: string) => ({
    name: `//compute.googleapis.com/projects/acme/global/${kind}/${name}`,
    displayName: name,
    assetType: `compute.googleapis.com/${kind === 'networks' ? 'Network' : 'Firewall'}`,
  });

  beforeAll(async () => {
    server = createServer((req, res) => {
      const query = new URL(req.url ?? '/', 'http://google.invalid').searchParams.get('query') ?? '';
      queries.push(query);
      const results = query.startsWith('labels.tenant_id:')
        ? [
            {
              name: `//container.googleapis.com/projects/acme/locations/europe-west1-b/clusters/${base}-gke`,
              assetType: 'container.googleapis.com/Cluster',
              labels: { managed_by: 'poc-provisioning-engine', tenant_id: TENANT, tenant: 'acme' },
            },
          ]
        : [
            // Networks and firewall rules take no labels: found by the names poc-names gives them.
            compute('networks', `${base}-vpc`),
            compute('firewalls', `${base}-allow-iap-ssh`),
            // A name that only starts with the tenant's base, and one labelled for another tenant.
            compute('networks', `${base}-vpc-copy`),
            { ...compute('networks', `${base}-nat`), labels: { tenant_id: OTHER } },
          ];
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ results }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('finds what is left of one tenant by its tenant_id label and by its names, and nothing of another', async () => {
    const inventory = new CloudAssetInventory({ projectId: 'acme', accessToken: () => Promise.resolve('t'), endpoint });

    const left = await inventory.tenantResources({ tenantId: TENANT.toUpperCase(), tenantSlug: 'acme' });

    expect(queries.sort()).toEqual([`labels.tenant_id:${TENANT}`, `name:${base}`]);
    expect(left).toEqual([
      `compute.googleapis.com/Firewall //compute.googleapis.com/projects/acme/global/firewalls/${base}-allow-iap-ssh`,
      `compute.googleapis.com/Network //compute.googleapis.com/projects/acme/global/networks/${base}-vpc`,
      `container.googleapis.com/Cluster //container.googleapis.com/projects/acme/locations/europe-west1-b/clusters/${base}-gke`,
    ]);
  });
});

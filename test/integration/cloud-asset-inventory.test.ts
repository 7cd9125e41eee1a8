import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudAssetInventory } from '../../activities/reconcile/cloud-inventory';
import { findDiscrepancies } from '../../activities/reconcile/find-discrepancies';

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

    const findings = findDiscrepancies({ now: Date.now(), graceMs: 0, liveJobs: [], workspaces: [], states: [], cloud: found });
    expect(findings).toEqual([
      expect.objectContaining({ kind: 'untracked_resources', tenantId: TENANT, tenantSlug: 'acme', tracked: 0 }),
    ]);
  });
});

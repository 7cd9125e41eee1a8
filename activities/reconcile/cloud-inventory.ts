import { listLocalCloudObjects, localCloudObjectName, readLocalCloud } from '../cloud/local-cloud';
import { isPocResourceName, pocNameBase } from '../cloud/poc-names';

/** One resource found in the cloud carrying the engine's labels. */
export interface LabelledResource {
  /** The tenant its `tenant_id` label names (lowercase UUID). */
  tenantId: string;
  /** Its `tenant` label. */
  tenantSlug: string;
  /** What it is, for the engineer reading the finding (a self link, an asset name; never a host path). */
  resource: string;
}

/** The tenant whose resources a per-tenant search looks for. */
export interface InventoryTenant {
  tenantId: string;
  tenantSlug: string;
}

/**
 * Where the engine looks for resources in the cloud. The sweep lists every resource that
 * carries the engine's labels (`managed_by`, `tenant_id`) and compares them per tenant with what
 * the tenant's state tracks (find-discrepancies.ts); the proof of deletion (ADR 27) and the
 * sweep's look at destroyed environments search one tenant.
 */
export interface CloudInventory {
  labelledResources(): Promise<LabelledResource[]>;
  /**
   * Every resource of one tenant: labelled with its `tenant_id` (whoever made it), or named by
   * modules/poc-names for it and labelled for no other tenant (resources that take no labels).
   * Names each one (self link or asset name, never a host path), sorted; [] when nothing is left.
   */
  tenantResources(tenant: InventoryTenant): Promise<string[]>;
}

/** Whether a resource found by label or by name belongs to the tenant (see tenantResources). */
function ownedBy(tenant: InventoryTenant, r: { name: string; labels?: Record<string, string> }): boolean {
  const labelled = r.labels?.tenant_id?.toLowerCase();
  if (labelled) return labelled === tenant.tenantId.toLowerCase();
  return isPocResourceName(pocNameBase(tenant.tenantId, tenant.tenantSlug), r.name);
}

const sortedUnique = (names: string[]) => [...new Set(names)].sort();

/**
 * The local stack's cloud: the localcloud provider's documents under `<environment_root>`
 * (activities/cloud/local-cloud.ts), each with its labels, as its `list` shows them.
 */
export class LocalCloudInventory implements CloudInventory {
  constructor(private readonly environmentRoot: string) {}

  async labelledResources(): Promise<LabelledResource[]> {
    const objects = await listLocalCloudObjects(this.environmentRoot, { managed_by: 'poc-provisioning-engine' });
    return objects
      .filter((o) => o.labels?.tenant_id)
      .map((o) => ({
        tenantId: (o.labels?.tenant_id ?? '').toLowerCase(),
        tenantSlug: o.labels?.tenant ?? '',
        resource: localCloudObjectName(o),
      }));
  }

  /**
   * Also every document it cannot read (`<collection>/<file> (unreadable)`), for every tenant: it
   * may be the tenant's, and a proof must not call an environment destroyed while the cloud
   * holds something nobody can say the owner of (ADR 27).
   */
  async tenantResources(tenant: InventoryTenant): Promise<string[]> {
    const { objects, unreadable } = await readLocalCloud(this.environmentRoot);
    return sortedUnique([...objects.filter((o) => ownedBy(tenant, o)).map(localCloudObjectName), ...unreadable]);
  }
}

/** How the Cloud Asset Inventory client reaches Google (replaceable in tests). */
export interface CloudAssetSearchOptions {
  projectId: string;
  /** An OAuth access token for cloud-platform (on GKE: the Workload Identity's). */
  accessToken: () => Promise<string>;
  /** https://cloudasset.googleapis.com unless told otherwise (a test's stand-in for Google). */
  endpoint?: string;
  fetch?: typeof fetch;
}

interface SearchResult {
  name?: string;
  displayName?: string;
  assetType?: string;
  labels?: Record<string, string>;
}

interface SearchAllResourcesPage {
  results?: SearchResult[];
  nextPageToken?: string;
}

/**
 * Production: Cloud Asset Inventory's `searchAllResources` (needs roles/cloudasset.viewer).
 * `labelledResources`: resources of the project that carry `labels.managed_by=poc-provisioning-engine`;
 * resources that take no labels (networks, firewall rules, addresses) are not found this way,
 * the cluster, its node pool and the Cloud SQL instance are, and one of them is enough to name a
 * tenant whose environment leaked. `tenantResources` also searches the tenant's names.
 */
export class CloudAssetInventory implements CloudInventory {
  constructor(private readonly opts: CloudAssetSearchOptions) {}

  async labelledResources(): Promise<LabelledResource[]> {
    const found: LabelledResource[] = [];
    for (const r of await this.search('labels.managed_by:poc-provisioning-engine')) {
      const labels = r.labels ?? {};
      if (labels.managed_by !== 'poc-provisioning-engine' || !labels.tenant_id) continue;
      found.push({ tenantId: labels.tenant_id.toLowerCase(), tenantSlug: labels.tenant ?? '', resource: assetName(r) });
    }
    return found;
  }

  /**
   * Two searches: by the `tenant_id` label, and by the tenant's name base (Cloud Asset
   * Inventory's `name:` matches words of the name; networks, subnetworks, firewall rules, routers
   * and addresses take no labels). Name hits are kept only when their whole name is one
   * modules/poc-names gives the tenant and no other tenant's label is on them.
   */
  async tenantResources(tenant: InventoryTenant): Promise<string[]> {
    const base = pocNameBase(tenant.tenantId, tenant.tenantSlug);
    const [labelled, named] = await Promise.all([
      this.search(`labels.tenant_id:${tenant.tenantId.toLowerCase()}`),
      this.search(`name:${base}`),
    ]);
    const shortName = (r: SearchResult) => r.displayName || (r.name ?? '').split('/').pop() || '';
    return sortedUnique(
      [...labelled, ...named].filter((r) => ownedBy(tenant, { name: shortName(r), labels: r.labels })).map(assetName),
    );
  }

  /** Every page of one searchAllResources query. */
  private async search(query: string): Promise<SearchResult[]> {
    const endpoint = (this.opts.endpoint ?? 'https://cloudasset.googleapis.com').replace(/\/+$/, '');
    const doFetch = this.opts.fetch ?? fetch;
    const found: SearchResult[] = [];
    let pageToken: string | undefined;
    do {
      const url = new URL(`${endpoint}/v1/projects/${encodeURIComponent(this.opts.projectId)}:searchAllResources`);
      url.searchParams.set('query', query);
      url.searchParams.set('pageSize', '500');
      if (pageToken) url.searchParams.set('pageToken', pageToken);
      const res = await doFetch(url, {
        headers: { authorization: `Bearer ${await this.opts.accessToken()}` },
        signal: AbortSignal.timeout(30_000),
      });
      if (!res.ok) throw new Error(`Cloud Asset Inventory answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      const page = (await res.json()) as SearchAllResourcesPage;
      found.push(...(page.results ?? []));
      pageToken = page.nextPageToken || undefined;
    } while (pageToken);
    return found;
  }
}

/** How an engineer finds an asset: its type and full resource name. */
const assetName = (r: SearchResult) => `${r.assetType ?? 'resource'} ${r.name ?? ''}`.trim();

/** An access token from the GKE/GCE metadata server (Workload Identity on GKE). */
export async function metadataServerToken(): Promise<string> {
  const res = await fetch(
    'http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token',
    { headers: { 'Metadata-Flavor': 'Google' }, signal: AbortSignal.timeout(10_000) },
  );
  if (!res.ok) throw new Error(`metadata server answered ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** The inventory of the configured stack: the local cloud's documents offline, Cloud Asset Inventory on GCP. */
export function cloudInventoryFor(t: { stack: string; environmentRoot: string; projectId?: string }): CloudInventory {
  if (t.stack === 'gcp' && t.projectId)
    return new CloudAssetInventory({ projectId: t.projectId, accessToken: metadataServerToken });
  return new LocalCloudInventory(t.environmentRoot);
}

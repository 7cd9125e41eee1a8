import { listLocalCloudObjects } from '../cloud/local-cloud';

/** One resource found in the cloud carrying the engine's labels. */
export interface LabelledResource {
  /** The tenant its `tenant_id` label names (lowercase UUID). */
  tenantId: string;
  /** Its `tenant` label. */
  tenantSlug: string;
  /** What it is, for the engineer reading the finding (a self link, an asset name). */
  resource: string;
}

/**
 * Where the sweep looks for resources that carry the engine's labels (`managed_by`,
 * `tenant_id`), to find those no state tracks. The sweep compares them per tenant with what the
 * tenant's state tracks (find-drift.ts).
 */
export interface CloudInventory {
  labelledResources(): Promise<LabelledResource[]>;
}

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
        resource: o.self_link ?? o.file,
      }));
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

interface SearchAllResourcesPage {
  results?: Array<{ name?: string; assetType?: string; labels?: Record<string, string> }>;
  nextPageToken?: string;
}

/**
 * Production: resources of the project that carry `labels.managed_by=poc-provisioning-engine`,
 * from Cloud Asset Inventory's `searchAllResources` (needs roles/cloudasset.viewer). Resources
 * that take no labels (networks, firewall rules, addresses) are not found this way; the cluster,
 * its node pool and the Cloud SQL instance are, and one of them is enough to name a tenant
 * whose environment leaked.
 */
export class CloudAssetInventory implements CloudInventory {
  constructor(private readonly opts: CloudAssetSearchOptions) {}

  async labelledResources(): Promise<LabelledResource[]> {
    const endpoint = (this.opts.endpoint ?? 'https://cloudasset.googleapis.com').replace(/\/+$/, '');
    const doFetch = this.opts.fetch ?? fetch;
    const found: LabelledResource[] = [];
    let pageToken: string | undefined;
    do {
      const url = new URL(`${endpoint}/v1/projects/${encodeURIComponent(this.opts.projectId)}:searchAllResources`);
      url.searchParams.set('query', 'labels.managed_by:poc-provisioning-engine');
      url.searchParams.set('pageSize', '500');
      if (pageToken) url.searchParams.set('pageToken', pageToken);
      const res = await doFetch(url, {
        headers: { authorization: `Bearer ${await this.opts.accessToken()}` },
        signal: AbortSignal.timeout(30_000),
      });
      if (!res.ok) throw new Error(`Cloud Asset Inventory answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      const page = (await res.json()) as SearchAllResourcesPage;
      for (const r of page.results ?? []) {
        const labels = r.labels ?? {};
        if (labels.managed_by !== 'poc-provisioning-engine' || !labels.tenant_id) continue;
        found.push({
          tenantId: labels.tenant_id.toLowerCase(),
          tenantSlug: labels.tenant ?? '',
          resource: `${r.assetType ?? 'resource'} ${r.name ?? ''}`.trim(),
        });
      }
      pageToken = page.nextPageToken || undefined;
    } while (pageToken);
    return found;
  }
}

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

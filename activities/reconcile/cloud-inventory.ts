import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One resource found in the cloud carrying the engine's labels. */
export interface LabelledResource {
  /** The tenant its `tenant_id` label names (lowercase UUID). */
  tenantId: string;
  /** Its `tenant` label. */
  tenantSlug: string;
  /** What it is, for the engineer reading the finding (a marker path, an asset name). */
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
 * The local stack's "cloud": marker files `<environment_root>/<slug>/<kind>.json`, each the
 * resource's inputs, labels included. Files that are not markers (the simulation's attempt
 * counters, half-written temporary files) are skipped.
 */
export class LocalMarkerInventory implements CloudInventory {
  constructor(private readonly environmentRoot: string) {}

  async labelledResources(): Promise<LabelledResource[]> {
    const found: LabelledResource[] = [];
    for (const slugDir of await entries(this.environmentRoot)) {
      if (!slugDir.isDirectory() || slugDir.name.startsWith('.')) continue;
      const dir = join(this.environmentRoot, slugDir.name);
      for (const file of await entries(dir)) {
        if (!file.isFile() || !file.name.endsWith('.json')) continue;
        const path = join(dir, file.name);
        const marker = await readFile(path, 'utf8')
          .then((text) => JSON.parse(text) as { labels?: Record<string, string> })
          .catch(() => null);
        const labels = marker?.labels;
        if (labels?.managed_by !== 'poc-provisioning-engine' || !labels.tenant_id) continue;
        found.push({
          tenantId: labels.tenant_id.toLowerCase(),
          tenantSlug: labels.tenant ?? slugDir.name,
          resource: path,
        });
      }
    }
    return found;
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

/** The inventory of the configured stack: markers offline, Cloud Asset Inventory on GCP. */
export function cloudInventoryFor(t: { stack: string; environmentRoot: string; projectId?: string }): CloudInventory {
  if (t.stack === 'gcp' && t.projectId)
    return new CloudAssetInventory({ projectId: t.projectId, accessToken: metadataServerToken });
  return new LocalMarkerInventory(t.environmentRoot);
}

async function entries(dir: string) {
  return readdir(dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
}

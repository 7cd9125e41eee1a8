import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  LOCAL_CLOUD_COLLECTIONS,
  listLocalCloudObjectsSync,
  type LocalCloudObject,
  type LocalResourceKind,
} from '../../activities/cloud/local-cloud';
import { pocNameBase } from '../../activities/cloud/poc-names';
import type { ProvisionRequest } from '../../src/domain/provision-request';

// The local stack's cloud as tests see it: the localcloud provider's documents
// (<environment_root>/<networks|clusters|instances>/<name>.json, ADR 25), read and tampered with
// here as an engineer would with the cloud's console.

/** Every resource of the local stack, as liveResources lists them. */
export const ALL_RESOURCES: string[] = ['database_instance', 'gke_cluster', 'vpc_network'];

const KIND_OF: Record<string, LocalResourceKind> = Object.fromEntries(
  Object.entries(LOCAL_CLOUD_COLLECTIONS).map(([kind, collection]) => [collection, kind as LocalResourceKind]),
);

/** The objects of a tenant (by its `tenant` label, the slug). */
export function tenantObjects(environmentRoot: string, tenantSlug: string): LocalCloudObject[] {
  return listLocalCloudObjectsSync(environmentRoot, { tenant: tenantSlug });
}

/** The kinds of the local stack's resources that exist for a tenant, sorted. */
export function liveResources(environmentRoot: string, tenantSlug: string): string[] {
  return tenantObjects(environmentRoot, tenantSlug)
    .map((o) => KIND_OF[o.collection] ?? o.collection)
    .sort();
}

/** The tenant's object of one kind; fails the test when there is none. */
export function cloudObject(environmentRoot: string, tenantSlug: string, kind: LocalResourceKind): LocalCloudObject {
  const found = tenantObjects(environmentRoot, tenantSlug).find((o) => o.collection === LOCAL_CLOUD_COLLECTIONS[kind]);
  if (!found) throw new Error(`no ${kind} of ${tenantSlug} in ${environmentRoot}`);
  return found;
}

/** Changes an object's document outside tofu (atomically, as the provider writes). */
export function editCloudObject(
  environmentRoot: string,
  tenantSlug: string,
  kind: LocalResourceKind,
  patch: Record<string, unknown>,
): void {
  const { file } = cloudObject(environmentRoot, tenantSlug, kind);
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(`${file}.edit`, JSON.stringify({ ...doc, ...patch }, null, 2));
  renameSync(`${file}.edit`, file);
}

/** A fault the local cloud injects into its provider's calls (providers/localcloud, cloud.Fault). */
export interface CloudFault {
  /** localcloud_network, localcloud_cluster, localcloud_database_instance; absent: every type. */
  resource?: string;
  call?: 'create' | 'read' | 'update' | 'delete';
  /** One object's name; absent: every object. */
  name?: string;
  /** The HTTP status the call answers (400, 403, 429, 503...). */
  code: number;
  /** googleapi reason; `quotaExceeded` makes a quota error (403). */
  reason?: string;
  /** How many more matching calls fail, counted down across processes; negative: every call. */
  count: number;
}

/**
 * Makes the local cloud under environmentRoot answer matching calls with errors, as an outage
 * or an exhausted quota of Google's would: `<dir>/faults.json`, read by every provider process.
 */
export function injectCloudFaults(environmentRoot: string, faults: CloudFault[]): void {
  mkdirSync(environmentRoot, { recursive: true });
  const file = join(environmentRoot, 'faults.json');
  writeFileSync(`${file}.edit`, JSON.stringify(faults, null, 2));
  renameSync(`${file}.edit`, file);
}

/** The faults the local cloud still has to inject (its counts as they are now). */
export function pendingCloudFaults(environmentRoot: string): CloudFault[] {
  return JSON.parse(readFileSync(join(environmentRoot, 'faults.json'), 'utf8')) as CloudFault[];
}

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

/** The names modules/poc-names gives a request's resources. */
export function pocResourceNames(request: ProvisionRequest): Record<LocalResourceKind, string> {
  const base = pocNameBase(request.tenant_id, request.tenant_slug);
  return {
    vpc_network: `${base}-vpc`,
    gke_cluster: `${base}-gke`,
    database_instance: `${base}-db-${sha1(`${request.tenant_id}/${request.poc_config.expires_at}`).slice(0, 6)}`,
  };
}

/**
 * An object under the name the request's apply will use, as if an earlier apply had created it
 * for `tenantId` (this tenant's: adopted; another's: refused).
 */
export function plantCloudObject(
  environmentRoot: string,
  request: ProvisionRequest,
  kind: LocalResourceKind,
  tenantId: string,
): { file: string; selfLink: string } {
  const name = pocResourceNames(request)[kind];
  const collection = LOCAL_CLOUD_COLLECTIONS[kind];
  const selfLink = `projects/local/${collection === 'networks' ? 'global/networks' : collection}/${name}`;
  const dir = join(environmentRoot, collection);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  const labels = {
    tenant: request.tenant_slug,
    tenant_id: tenantId.toLowerCase(),
    managed_by: 'poc-provisioning-engine',
  };
  writeFileSync(file, JSON.stringify({ name, self_link: selfLink, status: 'RUNNING', labels, planted: true }));
  return { file, selfLink };
}

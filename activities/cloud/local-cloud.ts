import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * The local stack's simulated cloud (ADR 25): the localcloud provider keeps one JSON document per
 * object at `<root>/<collection>/<name>.json`. This reads it as the provider's `list` does, for
 * the sweep's inventory and for tests that inspect or tamper with the cloud.
 */

/** The folder of each resource of modules/local-poc. */
export const LOCAL_CLOUD_COLLECTIONS = {
  vpc_network: 'networks',
  gke_cluster: 'clusters',
  database_instance: 'instances',
} as const;

export type LocalResourceKind = keyof typeof LOCAL_CLOUD_COLLECTIONS;

/** One object: its document, plus where it is. */
export interface LocalCloudObject {
  collection: string;
  name: string;
  file: string;
  self_link?: string;
  status?: string;
  labels?: Record<string, string>;
  [attribute: string]: unknown;
}

const isDocument = (file: string) => file.endsWith('.json') && !file.startsWith('.');
const hasLabels = (o: LocalCloudObject, want: Record<string, string>) =>
  Object.entries(want).every(([k, v]) => o.labels?.[k] === v);

/** The document's object, or null when it is no JSON object. */
function parse(collection: string, file: string, text: string): LocalCloudObject | null {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return null;
  const name = (doc as { name?: unknown }).name;
  return { ...doc, collection, file, name: typeof name === 'string' ? name : '' } as LocalCloudObject;
}

/**
 * How callers (API answers, webhooks, sweep findings) name an object: its self link, else
 * `<collection>/<name>` from its file name; never the host path of its document.
 */
export function localCloudObjectName(o: Pick<LocalCloudObject, 'collection' | 'file' | 'self_link'>): string {
  return typeof o.self_link === 'string' && o.self_link ? o.self_link : `${o.collection}/${basename(o.file, '.json')}`;
}

/** Everything in the local cloud: the objects, and the documents that could not be read. */
export interface LocalCloudListing {
  /** Every object, sorted by collection and name. */
  objects: LocalCloudObject[];
  /**
   * Documents that exist but cannot be read or are no JSON object, each named
   * `<collection>/<file> (unreadable)`, sorted. The provider writes a document atomically (temp
   * file, then link or rename), so such a document is no write in progress: it is something the
   * cloud holds that nobody can say the owner of.
   */
  unreadable: string[];
}

/** The whole local cloud (see LocalCloudListing); a failure to list a folder rejects. */
export function readLocalCloud(root: string): Promise<LocalCloudListing> {
  try {
    return Promise.resolve(readLocalCloudSync(root));
  } catch (err) {
    return Promise.reject(err as Error);
  }
}

/** The whole local cloud, read at once (see LocalCloudListing). */
export function readLocalCloudSync(root: string): LocalCloudListing {
  const objects: LocalCloudObject[] = [];
  const unreadable: string[] = [];
  for (const c of entriesSync(root)) {
    if (!c.isDirectory() || c.name.startsWith('.')) continue;
    for (const f of entriesSync(join(root, c.name))) {
      if (!f.isFile() || !isDocument(f.name)) continue;
      const file = join(root, c.name, f.name);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // deleted meanwhile
        unreadable.push(unreadableName(c.name, f.name));
        continue;
      }
      const o = parse(c.name, file, text);
      if (o) objects.push(o);
      else unreadable.push(unreadableName(c.name, f.name));
    }
  }
  return { objects: objects.sort(byCollectionAndName), unreadable: unreadable.sort() };
}

const unreadableName = (collection: string, file: string) => `${collection}/${file} (unreadable)`;

/**
 * Every object whose labels include `labels`, sorted by collection and name; documents it cannot
 * read are left out (readLocalCloudSync names them). The local cloud is a small folder on this
 * machine, read at once.
 */
export function listLocalCloudObjects(root: string, labels: Record<string, string> = {}): Promise<LocalCloudObject[]> {
  return Promise.resolve(listLocalCloudObjectsSync(root, labels));
}

/** The same, synchronously (test assertions read it inline); unreadable documents are left out. */
export function listLocalCloudObjectsSync(root: string, labels: Record<string, string> = {}): LocalCloudObject[] {
  return readLocalCloudSync(root).objects.filter((o) => hasLabels(o, labels));
}

function byCollectionAndName(a: LocalCloudObject, b: LocalCloudObject) {
  return a.collection === b.collection ? a.name.localeCompare(b.name) : a.collection.localeCompare(b.collection);
}

function entriesSync(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

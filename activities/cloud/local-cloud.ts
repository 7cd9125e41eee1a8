import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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

function parse(collection: string, file: string, text: string): LocalCloudObject | null {
  try {
    const doc = JSON.parse(text) as Record<string, unknown>;
    return { ...doc, collection, file, name: typeof doc.name === 'string' ? doc.name : '' } as LocalCloudObject;
  } catch {
    return null; // a document being replaced or edited by hand: skipped, as the provider does
  }
}

/**
 * Every object whose labels include `labels`, sorted by collection and name. One walk serves
 * the sweep and the tests: the local cloud is a small folder on this machine, read at once.
 */
export function listLocalCloudObjects(root: string, labels: Record<string, string> = {}): Promise<LocalCloudObject[]> {
  return Promise.resolve(listLocalCloudObjectsSync(root, labels));
}

/** The same, synchronously (test assertions read it inline). */
export function listLocalCloudObjectsSync(root: string, labels: Record<string, string> = {}): LocalCloudObject[] {
  const found: LocalCloudObject[] = [];
  for (const c of entriesSync(root)) {
    if (!c.isDirectory() || c.name.startsWith('.')) continue;
    for (const f of entriesSync(join(root, c.name))) {
      if (!f.isFile() || !isDocument(f.name)) continue;
      const file = join(root, c.name, f.name);
      let text: string | null = null;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        // removed meanwhile
      }
      const o = text === null ? null : parse(c.name, file, text);
      if (o && hasLabels(o, labels)) found.push(o);
    }
  }
  return found.sort(byCollectionAndName);
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

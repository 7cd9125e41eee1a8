import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Where `tofu init` gets provider plugins from.
 * - `cache`: a writable plugin cache shared by the worker's workspaces (providers downloaded
 *   once per worker). OpenTofu (since 1.10) locks each provider in it while installing, so
 *   concurrent inits share it safely (ADR 22; the engine's own lock of ADR 8 is gone).
 * - `mirror`: a read-only filesystem mirror baked into the image; init downloads nothing and
 *   needs no lock.
 */
export type ProviderSource = { kind: 'cache'; dir: string } | { kind: 'mirror'; dir: string };

/** The tofu CLI configuration (HCL) for a provider source. */
export function cliConfigFor(source: ProviderSource): string {
  const path = JSON.stringify(source.dir);
  switch (source.kind) {
    case 'cache':
      return `plugin_cache_dir = ${path}\n`;
    case 'mirror':
      // Only the mirror: a provider missing from it fails init instead of reaching the internet.
      return `provider_installation {\n  filesystem_mirror {\n    path    = ${path}\n    include = ["*/*/*"]\n  }\n}\n`;
  }
}

/**
 * Writes the CLI configuration file (atomically: concurrent activities may write it at once)
 * and makes sure the cache folder exists, since tofu ignores a missing one.
 */
export async function writeCliConfig(file: string, source: ProviderSource): Promise<void> {
  if (source.kind === 'cache') await mkdir(source.dir, { recursive: true });
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await writeFile(tmp, cliConfigFor(source));
  await rename(tmp, file);
}

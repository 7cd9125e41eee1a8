import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { withPluginCacheLock } from '../../activities/tofu/plugin-cache-lock';
import { writeCliConfig } from '../../activities/tofu/provider-source';
import type { TofuContext } from '../../activities/tofu/tofu-context';
import { tofuInit } from '../../activities/tofu/tofu-init';
import { DomainError } from '../../src/domain/domain-error';
import { toolPath } from '../../scripts/stack/project-paths';
import { testEnv } from '../support/test-env';

const scratch = () => mkdtemp(join(testEnv('runDir'), 'providers-'));

/** A workspace whose only content is a provider requirement. */
async function workspaceRequiring(root: string, name: string, source: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'main.tf'),
    `terraform {\n  required_providers {\n    fake = {\n      source  = "${source}"\n      version = "1.0.0"\n    }\n  }\n}\n`,
  );
  return dir;
}

/** A provider package in a filesystem mirror's unpacked layout (init installs it, never runs it). */
async function mirrorWithProvider(root: string, source: string): Promise<string> {
  const mirror = join(root, 'mirror');
  const [host, namespace, type] = source.split('/');
  const pkg = join(mirror, host, namespace, type, '1.0.0', 'linux_amd64');
  await mkdir(pkg, { recursive: true });
  await writeFile(join(pkg, `terraform-provider-${type}_v1.0.0`), '#!/bin/sh\nexit 1\n');
  await chmod(join(pkg, `terraform-provider-${type}_v1.0.0`), 0o755);
  return mirror;
}

const context = (workspace: string, cliConfig: string): TofuContext => ({
  binary: toolPath('tofu'),
  workspace,
  env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: workspace, TF_CLI_CONFIG_FILE: cliConfig },
  killGraceMs: 5000,
});

describe('provider plugins', () => {
  it('lets only one init at a time hold the plugin cache lock', async () => {
    const cache = await scratch();
    let inside = 0;
    let mostAtOnce = 0;
    const entered: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        withPluginCacheLock(cache, undefined, async () => {
          inside += 1;
          mostAtOnce = Math.max(mostAtOnce, inside);
          entered.push(i);
          await sleep(40);
          inside -= 1;
        }),
      ),
    );
    expect(mostAtOnce).toBe(1);
    expect(entered.sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('stops waiting for the plugin cache lock when the activity is cancelled', async () => {
    const cache = await scratch();
    let releaseHolder!: () => void;
    const holder = withPluginCacheLock(cache, undefined, () => new Promise<void>((r) => (releaseHolder = r)));
    await sleep(100);
    const abort = new AbortController();
    const waiter = withPluginCacheLock(cache, abort.signal, () => Promise.resolve('ran'));
    setTimeout(() => abort.abort(), 200);
    await expect(waiter).rejects.toMatchObject({ name: 'AbortError' });
    releaseHolder();
    await holder;
    // Released: the next init gets in at once.
    await expect(withPluginCacheLock(cache, undefined, () => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('installs providers from the read-only mirror, several workspaces initialising at once', async () => {
    const root = await scratch();
    const source = 'example.com/engine/fake';
    const cliConfig = join(root, 'cli.tfrc');
    await writeCliConfig(cliConfig, { kind: 'mirror', dir: await mirrorWithProvider(root, source) });
    const workspaces = await Promise.all(['a', 'b', 'c', 'd'].map((n) => workspaceRequiring(root, n, source)));

    await Promise.all(workspaces.map((w) => tofuInit(context(w, cliConfig))));

    for (const w of workspaces) {
      expect(existsSync(join(w, '.terraform.lock.hcl'))).toBe(true);
      expect(await readdir(join(w, '.terraform', 'providers', 'example.com', 'engine', 'fake'))).toEqual(['1.0.0']);
    }
  });

  it('fails init permanently when a provider is not in the mirror, without reaching for the internet', async () => {
    const root = await scratch();
    const cliConfig = join(root, 'cli.tfrc');
    await writeCliConfig(cliConfig, { kind: 'mirror', dir: await mirrorWithProvider(root, 'example.com/engine/fake') });
    const workspace = await workspaceRequiring(root, 'absent', 'example.com/engine/absent');

    const failure = await tofuInit(context(workspace, cliConfig)).then(
      () => null,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(DomainError);
    expect(failure).toMatchObject({ code: 'TOFU_CONFIGURATION_INVALID' });
  });
});

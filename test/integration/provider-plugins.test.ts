import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { DataSource } from 'typeorm';
import { createActivities } from '../../activities/create-activities';
import { writeCliConfig } from '../../activities/tofu/provider-source';
import type { TofuContext } from '../../activities/tofu/tofu-context';
import { tofuInit } from '../../activities/tofu/tofu-init';
import { DomainError } from '../../src/domain/domain-error';
import { providerMirrorPath, toolPath } from '../../scripts/stack/project-paths';
import { aProvisionRequest } from '../support/requests';
import { testEnv } from '../support/test-env';
import { openDatabase, realActivityDeps, runActivityStep, testFolders } from '../support/test-stack';

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

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A provider "binary" big enough (16 MiB) that concurrent installs overlap for a while. */
function providerBinary(): Buffer {
  return Buffer.concat([Buffer.from('#!/bin/sh\nexit 1\n'), randomBytes(16 * 1024 * 1024)]);
}

/** A provider as a zip in a packed filesystem mirror (what `tofu providers mirror` writes). */
async function packedMirrorWithProvider(mirror: string, source: string, binary: Buffer): Promise<void> {
  const [host, namespace, type] = source.split('/');
  const dir = join(mirror, host, namespace, type);
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, `terraform-provider-${type}_1.0.0_linux_amd64.zip`),
    storedZip(`terraform-provider-${type}_v1.0.0`, binary),
  );
}

/** A zip archive holding one file, stored (no compression), executable. */
function storedZip(name: string, body: Buffer): Buffer {
  const fileName = Buffer.from(name);
  const crc = crc32(body);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4); // version needed
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(body.length, 18);
  local.writeUInt32LE(body.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the mode below counts
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(body.length, 20);
  central.writeUInt32LE(body.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  central.writeUInt32LE(((0o100755 << 16) >>> 0) >>> 0, 38);
  central.writeUInt32LE(0, 42); // offset of the local header
  const centralSize = central.length + fileName.length;
  const centralOffset = local.length + fileName.length + body.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, fileName, body, central, fileName, end]);
}

const context = (workspace: string, cliConfig: string): TofuContext => ({
  binary: toolPath('tofu'),
  workspace,
  env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: workspace, TF_CLI_CONFIG_FILE: cliConfig },
  killGraceMs: 5000,
});

describe('provider plugins', () => {
  it('installs a provider into a shared plugin cache from many inits at once, intact for each (no engine lock: ADR 22)', async () => {
    const root = await scratch();
    const source = 'example.com/engine/big';
    const binary = providerBinary();
    const mirror = join(root, 'packed-mirror');
    await packedMirrorWithProvider(mirror, source, binary);
    const cache = join(root, 'cache');
    await mkdir(cache);
    const cliConfig = join(root, 'cli.tfrc');
    // The cache is filled from a local mirror here (no network); it is the same install into
    // the cache, under OpenTofu's own per-provider lock, as from the registry.
    await writeFile(
      cliConfig,
      `plugin_cache_dir = ${JSON.stringify(cache)}\n` +
        `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["*/*/*"]\n  }\n}\n`,
    );
    const workspaces = await Promise.all(
      Array.from({ length: 8 }, (_, i) => workspaceRequiring(root, `w${i}`, source)),
    );

    await Promise.all(workspaces.map((w) => tofuInit(context(w, cliConfig))));

    // tofu serialised the installs with its own lock file beside the provider (OpenTofu >= 1.10;
    // 1.6 had none, hence the engine's former lock).
    expect(existsSync(join(cache, 'example.com', 'engine', 'big', '1.0.0', 'linux_amd64.lock'))).toBe(true);
    const expected = sha256(binary);
    const installed = join('example.com', 'engine', 'big', '1.0.0', 'linux_amd64', 'terraform-provider-big_v1.0.0');
    expect(sha256(await readFile(join(cache, installed)))).toBe(expected);
    for (const w of workspaces) {
      expect(sha256(await readFile(join(w, '.terraform', 'providers', installed)))).toBe(expected);
    }
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

// Issue 13 item 5 (e): the local stack's own provider (providers/localcloud), from the mirror
// `npm run tools` builds it into, as the engine's workers install it: real tofu, the engine's
// workspaces and CLI configuration, Postgres state.
describe('the localcloud provider from the tools mirror', () => {
  let db: DataSource;
  beforeAll(async () => {
    db = await openDatabase();
  });
  afterAll(() => db.destroy());

  it('is installed by several workspaces initialising at once, intact in each, and each then plans the local stack', async () => {
    const name = 'localcloud-mirror-inits';
    const { workspaceRoot } = testFolders(name);
    const mirror = providerMirrorPath();
    const [binary] = readdirSync(mirror, { recursive: true, encoding: 'utf8' }).filter((f) =>
      /^poc-engine\.local\/engine\/localcloud\/[^/]+\/linux_amd64\/terraform-provider-localcloud_v[^/]*$/.test(f),
    );
    expect(binary).toBeDefined();
    const expected = sha256(await readFile(join(mirror, binary)));
    const activities = createActivities(realActivityDeps(db, name));
    const jobs = Array.from({ length: 4 }, () => ({ jobId: randomUUID(), request: aProvisionRequest() }));

    await Promise.all(jobs.map((job) => runActivityStep(() => activities.tofuInit(job))));

    const locks: string[] = [];
    for (const { jobId } of jobs) {
      const workspace = join(workspaceRoot, jobId);
      expect(sha256(await readFile(join(workspace, '.terraform', 'providers', binary)))).toBe(expected);
      locks.push(await readFile(join(workspace, '.terraform.lock.hcl'), 'utf8'));
    }
    expect(locks[0]).toMatch(/provider "poc-engine\.local\/engine\/localcloud"[\s\S]*h1:/);
    expect(new Set(locks).size).toBe(1);

    const plans = await Promise.all(jobs.map((job) => runActivityStep(() => activities.tofuPlan(job))));
    expect(plans).toEqual(jobs.map(() => ({ add: 3, change: 0, destroy: 0 })));

    for (const job of jobs) {
      await runActivityStep(() => activities.cleanupWorkspace(job));
      await runActivityStep(() => activities.removeState(job));
    }
  });
});

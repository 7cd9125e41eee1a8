#!/usr/bin/env node
// Tool bootstrap: puts the pinned binaries the engine drives (tofu, the Temporal dev server,
// fake-gcs-server), helm, kubeconform and promtool (chart checks) and oapi-codegen (the Go
// client) into the git-ignored .tools/bin folder, then the strict Kubernetes schemas kubeconform
// reads into .tools/kube-schemas (scripts/kube-schemas.mjs).
//
// Order of preference for each tool:
//   1. a binary of the pinned version already there (recorded in .tools/bin/.versions.json);
//   2. `go install <module>@<version>` with GOBIN=.tools/bin when Go is on the PATH (or, for a
//      tool with `goModule`, `go build` of that tools module in the repository: see tofu);
//   3. the official release archive for this platform, verified against the release's
//      published SHA-256 checksums.
// It is plain JavaScript so that it runs before anything is compiled.
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const toolsBin = process.env.TOOLS_BIN_DIR ?? join(root, '.tools', 'bin');
const stampFile = join(toolsBin, '.versions.json');

const goOs = { linux: 'linux', darwin: 'darwin' }[process.platform];
const goArch = { x64: 'amd64', arm64: 'arm64' }[process.arch];

/**
 * The pinned tools. `release` returns the archive URL, its checksum list and the file inside;
 * `ldflags` (optional) stamps what the project's own release build stamps.
 */
export const tools = [
  {
    // OpenTofu's go.mod replaces hcl/v2 with its fork, so `go install` refuses it (>= 1.7): the
    // tools module tools/tofu (which requires this version and mirrors that replace) builds it,
    // stamped as OpenTofu's release build does (.goreleaser.yaml), so `tofu version` is v1.12.6.
    // The Dockerfile takes the release archive of the same version (ADR 22).
    name: 'tofu',
    version: '1.12.6',
    module: 'github.com/opentofu/opentofu/cmd/tofu',
    goModule: 'tools/tofu',
    ldflags: () => "-s -w -X 'github.com/opentofu/opentofu/version.dev=no'",
    release: (v) => ({
      archive: `https://github.com/opentofu/opentofu/releases/download/v${v}/tofu_${v}_${goOs}_${goArch}.tar.gz`,
      sums: `https://github.com/opentofu/opentofu/releases/download/v${v}/tofu_${v}_SHA256SUMS`,
      entry: 'tofu',
    }),
  },
  {
    name: 'temporal',
    version: '1.5.1',
    module: 'github.com/temporalio/cli/cmd/temporal',
    release: (v) => ({
      archive: `https://github.com/temporalio/cli/releases/download/v${v}/temporal_cli_${v}_${goOs}_${goArch}.tar.gz`,
      sums: `https://github.com/temporalio/cli/releases/download/v${v}/checksums.txt`,
      entry: 'temporal',
    }),
  },
  {
    name: 'fake-gcs-server',
    version: '1.55.1',
    module: 'github.com/fsouza/fake-gcs-server',
    release: (v) => ({
      archive: `https://github.com/fsouza/fake-gcs-server/releases/download/v${v}/fake-gcs-server_${v}_${goOs === 'linux' ? 'Linux' : 'Darwin'}_${goArch}.tar.gz`,
      sums: `https://github.com/fsouza/fake-gcs-server/releases/download/v${v}/checksums.txt`,
      entry: 'fake-gcs-server',
    }),
  },
  {
    // Generates the Go client from docs/openapi.json (`npm run clients`, scripts/clients.mjs).
    name: 'oapi-codegen',
    version: '2.8.2',
    module: 'github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen',
    release: () => {
      throw new Error('oapi-codegen publishes no release binaries: install Go (https://go.dev/dl)');
    },
  },
  {
    name: 'helm',
    version: '3.21.4',
    module: 'helm.sh/helm/v3/cmd/helm',
    // As helm's Makefile: its version, and the Kubernetes version of its client-go (v0.36) as
    // the default for `helm template` and `helm lint` (unstamped it would be 1.20).
    ldflags: (v) =>
      [
        `-X helm.sh/helm/v3/internal/version.version=v${v}`,
        '-X helm.sh/helm/v3/internal/version.gitTreeState=clean',
        ...['pkg/lint/rules', 'pkg/chartutil'].flatMap((pkg) => [
          `-X helm.sh/helm/v3/${pkg}.k8sVersionMajor=1`,
          `-X helm.sh/helm/v3/${pkg}.k8sVersionMinor=36`,
        ]),
      ].join(' '),
    release: (v) => ({
      archive: `https://get.helm.sh/helm-v${v}-${goOs}-${goArch}.tar.gz`,
      sums: `https://get.helm.sh/helm-v${v}-${goOs}-${goArch}.tar.gz.sha256sum`,
      entry: `${goOs}-${goArch}/helm`,
    }),
  },
  {
    // Validates every rendered manifest against strict schemas (test/static/strict-manifests.test.ts).
    name: 'kubeconform',
    version: '0.8.0',
    module: 'github.com/yannh/kubeconform/cmd/kubeconform',
    release: (v) => ({
      archive: `https://github.com/yannh/kubeconform/releases/download/v${v}/kubeconform-${goOs}-${goArch}.tar.gz`,
      sums: `https://github.com/yannh/kubeconform/releases/download/v${v}/CHECKSUMS`,
      entry: 'kubeconform',
    }),
  },
  {
    // Checks and unit-tests the chart's alerting rules (test/static/monitoring.test.ts). The Go
    // module's v0.3XX.Y is Prometheus release 3.XX.Y.
    name: 'promtool',
    version: '0.316.0',
    module: 'github.com/prometheus/prometheus/cmd/promtool',
    // As Prometheus' release build: `promtool --version` names the release.
    ldflags: (v) => `-X github.com/prometheus/common/version.Version=${v.replace(/^0\.(\d)(\d\d)\./, '$1.$2.')}`,
    release: (v) => {
      const release = v.replace(/^0\.(\d)(\d\d)\./, '$1.$2.');
      const dir = `prometheus-${release}.${goOs}-${goArch}`;
      return {
        archive: `https://github.com/prometheus/prometheus/releases/download/v${release}/${dir}.tar.gz`,
        sums: `https://github.com/prometheus/prometheus/releases/download/v${release}/sha256sums.txt`,
        entry: `${dir}/promtool`,
      };
    },
  },
];

async function readStamp() {
  try {
    return JSON.parse(await readFile(stampFile, 'utf8'));
  } catch {
    return {};
  }
}

async function hasGo() {
  try {
    await run('go', ['version']);
    return true;
  } catch {
    return false;
  }
}

async function goInstall(tool) {
  const flags = tool.ldflags ? [`-ldflags=${tool.ldflags(tool.version)}`] : [];
  const env = { ...process.env, GOBIN: toolsBin, CGO_ENABLED: process.env.CGO_ENABLED ?? '0' };
  if (tool.goModule) {
    // The module's go.mod pins the version (a static test keeps it equal to `version`).
    const args = ['build', '-mod=readonly', '-trimpath', ...flags, '-o', join(toolsBin, tool.name), tool.module];
    await run('go', args, { cwd: join(root, tool.goModule), env, maxBuffer: 64 * 1024 * 1024 });
    return;
  }
  await run('go', ['install', ...flags, `${tool.module}@v${tool.version}`], { env, maxBuffer: 64 * 1024 * 1024 });
}

async function download(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

async function installFromRelease(tool) {
  if (!goOs || !goArch) throw new Error(`no release archive for ${process.platform}/${process.arch}`);
  const { archive, sums, entry } = tool.release(tool.version);
  const [body, sumList] = await Promise.all([download(archive), download(sums)]);
  const fileName = archive.split('/').pop();
  const lines = sumList
    .toString('utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([sum]) => /^[0-9a-f]{64}$/.test(sum ?? ''));
  // A checksum list names its files; a per-archive .sha256sum file may hold the bare hash.
  const expected =
    lines.find(([, name]) => name === fileName || name === `*${fileName}`)?.[0] ??
    (lines.length === 1 && lines[0].length === 1 ? lines[0][0] : undefined);
  if (!expected) throw new Error(`${fileName} is not listed in ${sums}`);
  const actual = createHash('sha256').update(body).digest('hex');
  if (actual !== expected) throw new Error(`checksum mismatch for ${fileName}: ${actual} != ${expected}`);
  const work = await mkdtemp(join(tmpdir(), `${tool.name}-`));
  try {
    await writeFile(join(work, fileName), body);
    await run('tar', ['-xzf', fileName, entry], { cwd: work });
    await copyFile(join(work, entry), join(toolsBin, tool.name));
    await chmod(join(toolsBin, tool.name), 0o755);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Ensures every pinned tool is present; returns the names it had to install. */
export async function ensureTools({ log = console.error } = {}) {
  await mkdir(toolsBin, { recursive: true });
  const stamp = await readStamp();
  const missing = tools.filter((t) => stamp[t.name] !== t.version || !existsSync(join(toolsBin, t.name)));
  if (missing.length === 0) return [];
  const go = await hasGo();
  const failures = [];
  await Promise.all(
    missing.map(async (tool) => {
      const started = Date.now();
      const how = go ? 'go install' : 'release archive';
      log(`tools: installing ${tool.name} ${tool.version} (${how})...`);
      try {
        if (go) await goInstall(tool);
        else await installFromRelease(tool);
        stamp[tool.name] = tool.version;
        log(`tools: ${tool.name} ${tool.version} ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      } catch (err) {
        failures.push(`${tool.name} ${tool.version} via ${how}: ${String(err.stderr || err.message).trim()}`);
      }
    }),
  );
  await writeFile(stampFile, `${JSON.stringify(stamp, null, 2)}\n`);
  if (failures.length > 0) {
    throw new Error(
      `could not install these tools into ${toolsBin}:\n  - ${failures.join('\n  - ')}\n` +
        'Install Go (https://go.dev/dl) or allow downloads from the release pages, then run `npm run tools` again.',
    );
  }
  return missing.map((t) => t.name);
}

/**
 * Providers built from this repository (ADR 25): each goes into the filesystem mirror that the
 * local stack's tofu installs from (TOFU_PROVIDER_MIRROR_DIR), in the mirror's unpacked layout
 * `<host>/<namespace>/<type>/<version>/<os>_<arch>/terraform-provider-<type>_v<version>`.
 * A build is stamped with the hash of its sources and redone only when they change.
 */
export const providerMirror = process.env.TOOLS_PROVIDER_MIRROR_DIR ?? join(root, '.tools', 'providers');
export const localProviders = [
  { type: 'localcloud', address: 'poc-engine.local/engine/localcloud', version: '0.1.0', dir: 'providers/localcloud' },
];

/** Where a local provider's binary lives in the mirror. */
export function localProviderBinary(p) {
  return join(
    providerMirror,
    ...p.address.split('/'),
    p.version,
    `${goOs}_${goArch}`,
    `terraform-provider-${p.type}_v${p.version}`,
  );
}

/** sha256 over the provider's build inputs (go.mod, go.sum, non-test Go files), by path. */
async function providerSourceHash(p) {
  const base = join(root, p.dir);
  const files = [];
  const walk = async (dir) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (/^go\.(mod|sum)$/.test(entry.name) || (entry.name.endsWith('.go') && !entry.name.endsWith('_test.go')))
        files.push(path);
    }
  };
  await walk(base);
  const hash = createHash('sha256').update(`${p.version}\0${goOs}_${goArch}\0`);
  for (const file of files.sort())
    hash
      .update(`${relative(base, file)}\0`)
      .update(await readFile(file))
      .update('\0');
  return hash.digest('hex');
}

/** Builds every local provider whose sources changed into the mirror; returns the types built. */
export async function ensureLocalProviders({ log = console.error } = {}) {
  await mkdir(toolsBin, { recursive: true });
  const built = [];
  for (const p of localProviders) {
    const stamp = await readStamp();
    const key = `provider:${p.address}`;
    const hash = await providerSourceHash(p);
    const binary = localProviderBinary(p);
    if (stamp[key] === hash && existsSync(binary)) continue;
    if (!(await hasGo())) throw new Error(`building the ${p.type} provider needs Go (https://go.dev/dl)`);
    const started = Date.now();
    log(`tools: building provider ${p.address} ${p.version}...`);
    await mkdir(dirname(binary), { recursive: true });
    const tmp = `${binary}.${process.pid}.tmp`;
    try {
      await run('go', ['build', '-trimpath', `-ldflags=-s -w -X main.version=${p.version}`, '-o', tmp, '.'], {
        cwd: join(root, p.dir),
        env: { ...process.env, CGO_ENABLED: process.env.CGO_ENABLED ?? '0' },
        maxBuffer: 64 * 1024 * 1024,
      });
    } catch (err) {
      await rm(tmp, { force: true });
      throw new Error(`could not build provider ${p.address}: ${String(err.stderr || err.message).trim()}`);
    }
    // Renamed into place: an init running meanwhile sees the old binary or the new one, whole.
    await rename(tmp, binary);
    const latest = await readStamp();
    latest[key] = hash;
    await writeFile(stampFile, `${JSON.stringify(latest, null, 2)}\n`);
    log(`tools: provider ${p.type} ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    built.push(p.type);
  }
  return built;
}

/**
 * A fresh clone has no node_modules: `npm run dev` and `npm test` must still work, so install
 * the locked dependencies first (npm writes node_modules/.package-lock.json when it is done).
 */
export function ensureNodeModules({ log = console.error } = {}) {
  if (existsSync(join(root, 'node_modules', '.package-lock.json'))) return false;
  log('tools: node_modules missing: running npm ci');
  const npm = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (npm.status !== 0) throw new Error('npm ci failed');
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  Promise.resolve()
    .then(() => ensureNodeModules())
    .then(async () => [...(await ensureTools()), ...(await ensureLocalProviders())])
    // Imported only now: it reads YAML with a package that a fresh clone has only after npm ci.
    .then(async (installed) => {
      const { ensureKubeSchemas } = await import('./kube-schemas.mjs');
      return [...installed, ...((await ensureKubeSchemas()) ? ['kube-schemas'] : [])];
    })
    .then(
      (installed) => {
        if (installed.length === 0) console.error('tools: all pinned tools and providers present');
      },
      (err) => {
        console.error(`tools: ${err.message}`);
        process.exit(1);
      },
    );
}

// One OpenTofu and one Node everywhere (ADR 22): the tofu `npm run tools` builds from the tools
// module, the one the images install and CI uses, and the Node the images run, CI tests and
// package.json admits.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
/** The tofu entry of scripts/tools.mjs (read as text: it is an ES module run before any build). */
function tofuTool(): { version: string; goModule: string } {
  const entry = /name: 'tofu',\s+version: '([\d.]+)',[^}]*?goModule: '([^']+)'/s.exec(read('scripts/tools.mjs'));
  if (!entry) throw new Error('scripts/tools.mjs has no tofu entry with a version and a goModule');
  return { version: entry[1], goModule: entry[2] };
}
const escaped = (v: string) => v.replace(/\./g, '\\.');

describe('runtime versions', () => {
  it('builds, installs and runs one OpenTofu release: the tools module, npm run tools and the image agree', () => {
    const { version, goModule } = tofuTool();
    expect(read(`${goModule}/go.mod`)).toMatch(
      new RegExp(`^\\s*(require )?github\\.com/opentofu/opentofu v${escaped(version)}( //.*)?$`, 'm'),
    );
    expect(read('Dockerfile')).toMatch(new RegExp(`^ARG TOFU_VERSION=${escaped(version)}$`, 'm'));
  });

  it('mirrors the replace directive OpenTofu needs to build, so `go build` takes its hcl fork', () => {
    expect(read('tools/tofu/go.mod')).toMatch(
      /^replace github\.com\/hashicorp\/hcl\/v2 v[\d.]+ => github\.com\/opentofu\/hcl\/v2 v\S+$/m,
    );
  });

  it('stamps the tofu it built with its release version, not a development one', () => {
    const out = execFileSync(join(root, '.tools', 'bin', 'tofu'), ['version', '-json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    // A dev build says "1.12.6-dev".
    expect(JSON.parse(out.slice(out.indexOf('{')))).toMatchObject({ terraform_version: tofuTool().version });
  });

  it('runs the images on the Node that CI tests every tier on, and admits the Node CI tests the rest on', () => {
    const image = /^ARG NODE_IMAGE=node:(\d+)\.\d+-\S+$/m.exec(read('Dockerfile'));
    const ci = read('.ci/run');
    const current = /^NODE_CURRENT=(\d+)\.\d+\.\d+$/m.exec(ci);
    const minimum = /^NODE_MINIMUM=(\d+\.\d+)\.\d+$/m.exec(ci);
    expect(image?.[1]).toBe('24');
    expect(current?.[1]).toBe(image?.[1]);
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    expect(engines).toBe(`^${minimum?.[1]}.0 || ^${current?.[1]}.0.0`);
  });
});

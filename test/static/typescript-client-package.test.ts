// @poc-engine/client is usable outside this repository: `npm pack` builds it, and the packed
// tarball, installed into a scratch project, loads from CommonJS and ESM and type-checks a
// caller written against its .d.ts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const pkgDir = join(root, 'clients', 'typescript');
const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('the @poc-engine/client package', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'client-consumer-'));
    run('npm', ['pack', '--pack-destination', scratch, '--silent'], pkgDir);
    const tarball = readdirSync(scratch).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack made no tarball');
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'signup-backend', private: true }));
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--silent', join(scratch, tarball)], scratch);
  }, 180_000);
  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(join(pkgDir, 'dist'), { recursive: true, force: true });
  });

  it('loads from CommonJS and from ESM', () => {
    const cjs = run(
      process.execPath,
      [
        '-e',
        `const c = require('@poc-engine/client');
         const r = c.convertSignupToProvisioningRequest({ company_name: 'X' }, '550e8400-e29b-41d4-a716-446655440000', 'x');
         console.log(typeof c.PocProvisioningClient, r.poc_config.poc_tier, new c.ProvisioningApiError(409, 'C', 'm', [], {}).httpStatus);`,
      ],
      scratch,
    );
    expect(cjs.trim()).toBe('function standard 409');
    const esm = run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import { PocProvisioningClient } from '@poc-engine/client'; console.log(typeof PocProvisioningClient);",
      ],
      scratch,
    );
    expect(esm.trim()).toBe('function');
  });

  it('type-checks a caller against its declarations, and refuses a wrong one', () => {
    const caller = `import { PocProvisioningClient, convertSignupToProvisioningRequest, type JobStatusView } from '@poc-engine/client';
const client = new PocProvisioningClient({ baseUrl: 'http://engine', apiKey: 'k' });
const request = convertSignupToProvisioningRequest({ company_name: 'X' }, 'id', 'x');
export const done = async (): Promise<JobStatusView> => client.waitForCompletion((await client.submit(request)).job_id);
`;
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const args = [
      '--noEmit',
      '--strict',
      '--module',
      'node20',
      '--types',
      'node',
      '--typeRoots',
      join(root, 'node_modules', '@types'),
    ];
    writeFileSync(join(scratch, 'good.mts'), caller);
    expect(run(process.execPath, [tsc, ...args, 'good.mts'], scratch)).toBe('');
    writeFileSync(join(scratch, 'bad.mts'), caller.replace("apiKey: 'k'", 'apiKey: 42'));
    const refused = (() => {
      try {
        return run(process.execPath, [tsc, ...args, 'bad.mts'], scratch);
      } catch (err) {
        return `refused: ${(err as { stdout: string }).stdout}`;
      }
    })();
    expect(refused).toMatch(/^refused: bad\.mts.*error TS2322: Type 'number' is not assignable to type 'string'/s);
  });
});

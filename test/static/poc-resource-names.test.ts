// The names of a tenant's POC resources, evaluated offline with the real tofu: modules/poc-names
// is applied (it has no provider and no resource) for long, similar slugs, and both modules are
// checked to take every name from it. Issue: two tenants whose slugs agree on their first 30
// characters got the same network, cluster, router and NAT names.
import { parse } from '@cdktf/hcl2json';
import { isPocResourceName, pocNameBase } from '../../activities/cloud/poc-names';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const modules = join(root, 'terraform', 'modules');
const tofu = join(root, '.tools', 'bin', 'tofu');

/** Tenants whose slugs collide when cut, and the odd lengths. */
const TENANTS: Record<string, { tenant_id: string; tenant_slug: string }> = {
  a: { tenant_id: '3f0c9a52-6a7e-4f1b-9a40-0c1d2e3f4a5b', tenant_slug: 'acme-cybersecurity-inc-a1b2c3d4' },
  b: { tenant_id: '8d2e4b61-1c3f-4e5a-8b6c-7d8e9f0a1b2c', tenant_slug: 'acme-cybersecurity-inc-a1b2c3d5' },
  // 63 characters, the longest DNS label.
  long: { tenant_id: '11111111-2222-4333-8444-555555555555', tenant_slug: `a${'b'.repeat(61)}c` },
  // The cut at 22 characters lands right after a hyphen.
  hyphen: { tenant_id: '99999999-8888-4777-8666-555555555555', tenant_slug: 'abcdefghijklmnopqrstu-vwxyz' },
  short: { tenant_id: 'ABCDEF01-2345-4678-89AB-CDEF01234567', tenant_slug: 'x' },
};

/** What each name is used for, and that type's GCP length limit. */
const LIMITS: Record<string, number> = {
  network: 63,
  subnetwork: 63,
  router: 63,
  nat: 63,
  ingress_address: 63,
  cluster: 40,
  database_instance: 84,
  database_address: 63,
  database_forwarding_rule: 63,
};
const GCP_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

type Names = Record<string, string | Record<string, string>>;

/** Every name of a tenant, flattened: firewall rules as `firewall.<rule>`. */
function flat(names: Names): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(names)) {
    if (typeof v === 'string') out[k] = v;
    else for (const [rule, name] of Object.entries(v)) out[`firewall.${rule}`] = name;
  }
  return out;
}

describe('names of POC resources', () => {
  let names: Record<string, Record<string, string>>;
  const dir = mkdtempSync(join(tmpdir(), 'poc-names-'));

  beforeAll(() => {
    const calls = Object.entries(TENANTS)
      .map(
        ([key, t]) => `module "${key}" {
  source      = ${JSON.stringify(join(modules, 'poc-names'))}
  tenant_id   = "${t.tenant_id}"
  tenant_slug = "${t.tenant_slug}"
  expires_at  = "2030-01-01T00:00:00Z"
}
output "${key}" {
  value = module.${key}
}
`,
      )
      .join('\n');
    writeFileSync(join(dir, 'main.tf'), calls);
    const run = (args: string[]) =>
      execFileSync(tofu, args, {
        cwd: dir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, TF_IN_AUTOMATION: '1' },
      });
    run(['init', '-input=false', '-no-color']);
    run(['apply', '-input=false', '-auto-approve', '-no-color']);
    const outputs = JSON.parse(run(['output', '-json'])) as Record<string, { value: Names }>;
    names = Object.fromEntries(Object.entries(outputs).map(([k, o]) => [k, flat(o.value)]));
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives two tenants whose long slugs differ only at the end different names for everything', () => {
    const shared = Object.keys(names.a).filter((k) => k !== 'base' && names.a[k] === names.b[k]);
    expect(shared).toEqual([]);
    expect(names.a.network).not.toBe(names.b.network);
    expect(names.a.cluster).not.toBe(names.b.cluster);
  });

  it.each(Object.keys(TENANTS))('keeps every name of tenant %s within its GCP length limit and syntax', (key) => {
    const n = names[key];
    const problems: string[] = [];
    for (const [what, name] of Object.entries(n)) {
      const limit = what.startsWith('firewall.') ? 63 : what === 'service_account_id' ? 30 : (LIMITS[what] ?? 63);
      if (name.length > limit) problems.push(`${what} ${name} is ${name.length} > ${limit}`);
      if (!GCP_NAME.test(name)) problems.push(`${what} ${name} is not a GCP name`);
    }
    if (n.service_account_id.length < 6) problems.push('service account id shorter than 6');
    expect(problems).toEqual([]);
  });

  it.each(Object.keys(TENANTS))(
    'names tenant %s as the proof of deletion searches for it (activities/cloud/poc-names.ts)',
    (key) => {
      const { base, service_account_id: _account, ...named } = names[key];
      expect(pocNameBase(TENANTS[key].tenant_id, TENANTS[key].tenant_slug)).toBe(base);
      // Every name but the service account's is found by the base; no other tenant's is.
      const missed = Object.values(named).filter((n) => !isPocResourceName(base, n));
      expect(missed).toEqual([]);
      for (const other of Object.keys(TENANTS).filter((k) => k !== key))
        expect(Object.values(names[other]).filter((n) => isPocResourceName(base, n))).toEqual([]);
    },
  );

  it('names every firewall rule of gcp-poc', async () => {
    const gcp = await parse('main.tf', readFileSync(join(modules, 'gcp-poc', 'main.tf'), 'utf8'));
    const rules = Object.keys((gcp.locals as Array<Record<string, Record<string, unknown>>>)[0].firewall_rules);
    expect(Object.keys(names.a).filter((k) => k.startsWith('firewall.'))).toEqual(
      expect.arrayContaining(rules.map((r) => `firewall.${r}`)),
    );
  });

  it('takes every resource name of gcp-poc and local-poc from poc-names', async () => {
    const gcp = await parse('main.tf', readFileSync(join(modules, 'gcp-poc', 'main.tf'), 'utf8'));
    const own: string[] = [];
    for (const [type, byName] of Object.entries(gcp.resource as Record<string, Record<string, unknown[]>>)) {
      for (const [name, [body]] of Object.entries(byName)) {
        const b = body as Record<string, unknown>;
        // The node pool is named inside its cluster ("nodes"); IAM members have no name.
        const value = (b.name ?? b.account_id) as string | undefined;
        if (value === undefined || type === 'google_container_node_pool') continue;
        if (!value.startsWith('${local.names.')) own.push(`${type}.${name}: ${value}`);
      }
    }
    expect(own).toEqual([]);
    const local = readFileSync(join(modules, 'local-poc', 'main.tf'), 'utf8');
    const localNames = [...local.matchAll(/^\s+name\s+=\s+(.+)$/gm)].map((m) => m[1]);
    expect(localNames).toHaveLength(3);
    expect(localNames.filter((n) => !n.startsWith('module.names.'))).toEqual([]);
  });
});

// Offline checks of terraform/: every file parses, it is formatted, and modules/gcp-poc and its
// offline twin modules/local-poc keep one contract (variables and outputs), so the local stack
// the tests run cannot drift from what production provisions.
import { parse } from '@cdktf/hcl2json';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..');
const terraformDir = join(root, 'terraform');
const tofu = join(root, '.tools', 'bin', 'tofu');

/** Variables only the offline twin has: where it keeps its simulated cloud and how it misbehaves. */
const LOCAL_ONLY_VARIABLES = [
  'environment_root',
  'simulate_apply_delay_seconds',
  'simulate_failure_resource',
  'simulate_transient_failures',
  'simulate_destroy_failure',
];

/** GCP resources that take no labels and carry no description: they are named after their parent. */
const UNLABELLABLE_GCP_RESOURCES = ['google_compute_router_nat', 'google_project_iam_member'];

type Block = Record<string, unknown>;
interface TfConfig {
  variable: Record<string, Block>;
  output: Record<string, Block>;
  resource: Record<string, Record<string, Block>>;
  module: Record<string, Block>;
  locals: Block;
}

function tfFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === '.terraform' ? [] : tfFiles(path);
    return name.endsWith('.tf') ? [path] : [];
  });
}

/** One HCL block list as hcl2json gives it (`[{...}]`) reduced to its single body. */
function body(value: unknown): Block {
  return (Array.isArray(value) ? value[0] : value) as Block;
}

/** The parsed configuration of one folder (all its .tf files, not subfolders). */
async function loadConfig(dir: string): Promise<TfConfig> {
  const config: TfConfig = { variable: {}, output: {}, resource: {}, module: {}, locals: {} };
  const files = readdirSync(dir).filter((f) => f.endsWith('.tf'));
  for (const file of files) {
    const parsed = await parse(file, readFileSync(join(dir, file), 'utf8'));
    for (const [name, value] of Object.entries(parsed.variable ?? {})) config.variable[name] = body(value);
    for (const [name, value] of Object.entries(parsed.output ?? {})) config.output[name] = body(value);
    for (const [name, value] of Object.entries(parsed.module ?? {})) config.module[name] = body(value);
    for (const locals of (parsed.locals ?? []) as Block[]) Object.assign(config.locals, locals);
    for (const [type, byName] of Object.entries((parsed.resource ?? {}) as Record<string, Record<string, unknown>>)) {
      for (const [name, value] of Object.entries(byName)) (config.resource[type] ??= {})[name] = body(value);
    }
  }
  return config;
}

/** What makes a variable part of the contract: its type, default and validation conditions. */
function signature(v: Block): unknown {
  const validations = ((v.validation ?? []) as Block[]).map((rule) => rule.condition);
  return { type: v.type, default: v.default, validations };
}

/** The attribute names of an output whose value is an object, or its kind otherwise. */
function outputShape(o: Block): unknown {
  const value = o.value;
  return value !== null && typeof value === 'object' ? Object.keys(value).sort() : typeof value;
}

describe('terraform modules', () => {
  let gcp: TfConfig;
  let local: TfConfig;
  let localStack: TfConfig;
  let gcpStack: TfConfig;

  beforeAll(async () => {
    [gcp, local, localStack, gcpStack] = await Promise.all([
      loadConfig(join(terraformDir, 'modules', 'gcp-poc')),
      loadConfig(join(terraformDir, 'modules', 'local-poc')),
      loadConfig(join(terraformDir, 'stacks', 'local')),
      loadConfig(join(terraformDir, 'stacks', 'gcp')),
    ]);
  });

  it('parses every .tf file under terraform/ as HCL', async () => {
    const files = tfFiles(terraformDir);
    expect(files.length).toBeGreaterThan(10);
    const failures: string[] = [];
    for (const file of files) {
      await parse(file, readFileSync(file, 'utf8')).catch((err: unknown) =>
        failures.push(`${relative(root, file)}: ${String(err)}`),
      );
    }
    expect(failures).toEqual([]);
  });

  it('is formatted as tofu fmt writes it', () => {
    // Throws (and lists the files) when a file is not formatted.
    expect(() =>
      execFileSync(tofu, ['fmt', '-check', '-recursive', '-no-color', terraformDir], { stdio: 'pipe' }),
    ).not.toThrow();
  });

  it('gives both modules the same variables, apart from the documented local-only ones', () => {
    const shared = Object.keys(local.variable)
      .filter((name) => !LOCAL_ONLY_VARIABLES.includes(name))
      .sort();
    expect(Object.keys(gcp.variable).sort()).toEqual(shared);
  });

  it('keeps the local-only list honest: each exists in local-poc and not in gcp-poc', () => {
    for (const name of LOCAL_ONLY_VARIABLES) {
      expect({ name, inLocal: name in local.variable, inGcp: name in gcp.variable }).toEqual({
        name,
        inLocal: true,
        inGcp: false,
      });
    }
  });

  it('declares each shared variable with the same type, default and validations in both modules', () => {
    for (const [name, v] of Object.entries(gcp.variable)) {
      expect({ name, ...(signature(v) as object) }).toEqual({ name, ...(signature(local.variable[name]) as object) });
    }
  });

  it('gives every variable of both modules a type and a description', () => {
    const undocumented = [...Object.entries(gcp.variable), ...Object.entries(local.variable)]
      .filter(([, v]) => typeof v.type !== 'string' || typeof v.description !== 'string' || v.description === '')
      .map(([name]) => name);
    expect(undocumented).toEqual([]);
  });

  it('validates every shared variable except booleans', () => {
    const unvalidated = Object.entries(gcp.variable)
      .filter(([, v]) => v.type !== '${bool}' && ((v.validation ?? []) as Block[]).length === 0)
      .map(([name]) => name);
    expect(unvalidated).toEqual([]);
  });

  it('defaults every variable the engine does not write yet, so its current tfvars keep working', () => {
    // The engine writes these (activities/workspace/tfvars.ts); every other variable needs a default.
    const written = ['tenant_id', 'tenant_slug', 'poc_tier', 'expires_at', 'environment_root'];
    const withoutDefault = Object.entries(local.variable)
      .filter(([name, v]) => !written.includes(name) && !('default' in v))
      .map(([name]) => name);
    expect(withoutDefault).toEqual([]);
  });

  it('gives both modules the same outputs with the same attribute names, each described', () => {
    expect(Object.keys(gcp.output).sort()).toEqual(Object.keys(local.output).sort());
    for (const [name, o] of Object.entries(local.output)) {
      expect({ name, shape: outputShape(gcp.output[name]) }).toEqual({ name, shape: outputShape(o) });
      expect({ name, described: typeof gcp.output[name].description === 'string' }).toEqual({
        name,
        described: true,
      });
    }
  });

  it('passes every variable of local-poc through the local stack', () => {
    const args = Object.keys(localStack.module.poc).filter((k) => k !== 'source');
    expect(args.sort()).toEqual(Object.keys(local.variable).sort());
  });

  it("passes every variable of gcp-poc through the gcp stack, which has the local stack's outputs", () => {
    expect(gcpStack.module.poc.source).toBe('./modules/gcp-poc');
    const args = Object.keys(gcpStack.module.poc).filter((k) => k !== 'source');
    expect(args.sort()).toEqual(Object.keys(gcp.variable).sort());
    expect(Object.keys(gcpStack.output).sort()).toEqual(Object.keys(localStack.output).sort());
    // The stacks differ only in the local twin's variables and the GCP project.
    const localVars = Object.keys(localStack.variable).filter((v) => !LOCAL_ONLY_VARIABLES.includes(v));
    expect(Object.keys(gcpStack.variable).sort()).toEqual([...localVars, 'project_id'].sort());
  });

  it('labels every GCP resource with tenant and expiry, or says so in its description', () => {
    const labels = JSON.stringify(gcp.locals.labels);
    for (const key of ['tenant', 'tenant_id', 'expires_at']) expect(labels).toMatch(new RegExp(`\\b${key}\\s*=`));
    const unmarked: string[] = [];
    for (const [type, byName] of Object.entries(gcp.resource)) {
      if (UNLABELLABLE_GCP_RESOURCES.includes(type)) continue;
      for (const [name, resource] of Object.entries(byName)) {
        const text = JSON.stringify(resource);
        if (!text.includes('local.labels') && !text.includes('local.description')) unmarked.push(`${type}.${name}`);
      }
    }
    expect(unmarked).toEqual([]);
  });

  it('gives GKE private nodes only at the high isolation level', () => {
    expect(gcp.locals.private_nodes).toBe('${var.network_isolation_level == "high"}');
    expect(JSON.stringify(gcp.resource.google_container_cluster.gke.dynamic)).toContain('local.private_nodes');
  });

  it('reaches Cloud SQL on a private IP only, through a PSC endpoint that leaves no VPC peering behind', () => {
    const settings = body(gcp.resource.google_sql_database_instance.db.settings);
    const ip = body(settings.ip_configuration);
    expect(ip).toMatchObject({ ipv4_enabled: false });
    expect(body(ip.psc_config)).toMatchObject({ psc_enabled: true });
    expect(gcp.resource.google_service_networking_connection).toBeUndefined();
    expect(gcp.resource.google_compute_forwarding_rule.db.target).toBe(
      '${google_sql_database_instance.db.psc_service_attachment_link}',
    );
    expect(body(gcp.output.database_instance).value).toMatchObject({
      private_ip: '${google_compute_address.db.address}',
    });
  });
});

import { execa } from 'execa';
import { join } from 'node:path';
import { Client } from 'pg';
import { writeCliConfig } from '../activities/tofu/provider-source';
import { buildTfvars } from '../activities/workspace/tfvars';
import { materializeWorkspace } from '../activities/workspace/workspace-files';
import { stateConnectionString } from '../activities/tofu/state-connection-string';
import { stackTofuEnv } from '../activities/tofu/tofu-context';
import { projectRoot, providerMirrorPath, toolPath } from '../scripts/stack/project-paths';
import { aProvisionRequest } from './requests';

// The floor of one provisioning: the same tofu verbs the engine runs for the local stack
// (init, plan, apply, output), straight from a loop, with tofu state in a database of the
// tenant's own. No orchestration, no read model, no retries.

export interface RawLoopOptions {
  /** A Postgres server URL whose user may create databases. */
  serverUrl: string;
  workRoot: string;
  /** The terraform/ folder the workspace is made from (default: the repository's). */
  terraformDir?: string;
  /** Run tofu without the engine's local-stack environment (stackTofuEnv), as before it had one. */
  plainEnv?: boolean;
}

/** The verbs of one provisioning. */
export const RAW_VERBS = ['init', 'plan', 'apply', 'output'] as const;

/** One raw provisioning: wall seconds of each verb, and a function that destroys it. */
export interface RawRun {
  verbSeconds: Record<(typeof RAW_VERBS)[number], number>;
  destroy: () => Promise<void>;
}

/** Provisions one tenant's local stack with raw tofu; returns a function that destroys it. */
export async function rawProvisioning(opts: RawLoopOptions, index: number): Promise<() => Promise<void>> {
  return (await timedRawProvisioning(opts, index)).destroy;
}

/**
 * Provisions one tenant's local stack with raw tofu, timing each verb (the database of its
 * state is made before, untimed). Providers come from the tools mirror, as the engine's do.
 */
export async function timedRawProvisioning(opts: RawLoopOptions, index: number): Promise<RawRun> {
  const request = aProvisionRequest(14 * 24 * 3600 * 1000);
  const database = `bench_raw_${Date.now()}_${index}`;
  const admin = new Client({ connectionString: opts.serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(opts.serverUrl);
  url.pathname = `/${database}`;
  const jobId = `raw-${index}-${request.tenant_id}`;
  const workspace = await materializeWorkspace(
    {
      workspaceRoot: join(opts.workRoot, 'workspaces'),
      terraformDir: opts.terraformDir ?? join(projectRoot(), 'terraform'),
      stack: 'local',
    },
    jobId,
    buildTfvars(request, {
      environmentRoot: join(opts.workRoot, 'environments'),
      simulation: { applyDelaySeconds: 0, failResource: '', transientFailures: 0 },
    }),
  );
  // The engine's provider source: the local stack's provider comes from the tools mirror only.
  const cliConfig = join(opts.workRoot, 'tofu-cli.tfrc');
  await writeCliConfig(cliConfig, { kind: 'mirror', dir: providerMirrorPath() });
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    TF_IN_AUTOMATION: '1',
    TF_CLI_CONFIG_FILE: cliConfig,
    // What the engine adds for the local stack (its own provider started without plugin TLS).
    ...(opts.plainEnv ? {} : stackTofuEnv('local')),
    PG_CONN_STR: stateConnectionString(url.toString()),
  };
  const tofu = (...args: string[]) => execa(toolPath('tofu'), args, { cwd: workspace, env, extendEnv: false });
  const timed = async (...args: string[]) => {
    const t0 = performance.now();
    await tofu(...args);
    return (performance.now() - t0) / 1000;
  };
  const verbSeconds = {
    init: await timed('init', '-input=false', '-no-color', '-reconfigure'),
    plan: await timed('plan', '-input=false', '-no-color', '-json', '-out=tfplan'),
    apply: await timed('apply', '-input=false', '-no-color', '-json', '-auto-approve', 'tfplan'),
    output: await timed('output', '-no-color', '-json'),
  };
  return {
    verbSeconds,
    destroy: async () => {
      await tofu('destroy', '-input=false', '-no-color', '-auto-approve');
      const again = new Client({ connectionString: opts.serverUrl });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${database}`);
      await again.end();
    },
  };
}

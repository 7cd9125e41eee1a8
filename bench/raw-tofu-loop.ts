import { execa } from 'execa';
import { join } from 'node:path';
import { Client } from 'pg';
import { buildTfvars } from '../activities/workspace/tfvars';
import { materializeWorkspace } from '../activities/workspace/workspace-files';
import { writeCliConfig } from '../activities/tofu/provider-source';
import { stateConnectionString } from '../activities/tofu/state-connection-string';
import { projectRoot, providerMirrorPath, toolPath } from '../scripts/stack/project-paths';
import { aProvisionRequest } from './requests';

// The floor of one provisioning: the same tofu verbs the engine runs for the local stack
// (init, plan, apply, output), straight from a loop, with tofu state in a database of the
// tenant's own. No orchestration, no read model, no retries.

export interface RawLoopOptions {
  /** A Postgres server URL whose user may create databases. */
  serverUrl: string;
  workRoot: string;
}

/** Provisions one tenant's local stack with raw tofu; returns a function that destroys it. */
export async function rawProvisioning(opts: RawLoopOptions, index: number): Promise<() => Promise<void>> {
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
      terraformDir: join(projectRoot(), 'terraform'),
      stack: 'local',
    },
    jobId,
    buildTfvars(request, {
      environmentRoot: join(opts.workRoot, 'environments'),
      simulation: { applyDelaySeconds: 0, failResource: '', transientFailures: 0 },
    }),
  );
  // The local stack's provider comes from the same mirror the engine's worker uses.
  const cliConfigFile = join(opts.workRoot, 'tofu.tfrc');
  await writeCliConfig(cliConfigFile, { kind: 'mirror', dir: providerMirrorPath() });
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    TF_IN_AUTOMATION: '1',
    TF_CLI_CONFIG_FILE: cliConfigFile,
    PG_CONN_STR: stateConnectionString(url.toString()),
  };
  const tofu = (...args: string[]) => execa(toolPath('tofu'), args, { cwd: workspace, env, extendEnv: false });
  await tofu('init', '-input=false', '-no-color', '-reconfigure');
  await tofu('plan', '-input=false', '-no-color', '-json', '-out=tfplan');
  await tofu('apply', '-input=false', '-no-color', '-json', '-auto-approve', 'tfplan');
  await tofu('output', '-no-color', '-json');
  return async () => {
    await tofu('destroy', '-input=false', '-no-color', '-auto-approve');
    const again = new Client({ connectionString: opts.serverUrl });
    await again.connect();
    await again.query(`DROP DATABASE IF EXISTS ${database}`);
    await again.end();
  };
}

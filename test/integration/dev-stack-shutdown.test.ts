import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { openState } from '../../activities/state/state-contents';
import { statePassphrases } from '../../activities/state/state-encryption';
import { projectRoot } from '../../scripts/stack/project-paths';
import { devLauncherEnv, launcherCall, startDevLauncher, type DevLauncher } from '../support/dev-launcher';
import { aProvisionRequest } from '../support/requests';
import { testEnv } from '../support/test-env';
import { eventually, liveResources, ALL_RESOURCES } from '../support/test-stack';

/** Files named `name` anywhere under `dir`. */
function filesNamed(dir: string, name: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.split('/').pop() === name);
}

/**
 * Resources in the tenant's tofu state in the stack's Postgres, opened with the passphrase tofu
 * derived from the stack's ENCRYPTION_KEY (state is encrypted: ADR 22).
 */
async function stateResources(databaseUrl: string, tenantId: string, encryptionKey: string): Promise<number | null> {
  const passphrases = statePassphrases([Buffer.from(encryptionKey, 'base64')]);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const schema = `tfstate_${tenantId.replace(/-/g, '').toLowerCase()}`;
    const rows = await client
      .query<{ data: string }>(`SELECT data FROM "${schema}".states`)
      .catch(() => ({ rows: null as null | Array<{ data: string }> }));
    if (!rows.rows) return null;
    const states = await Promise.all(rows.rows.map((r) => openState(r.data, passphrases)));
    return states.reduce((n, s) => n + (s.resources?.length ?? 0), 0);
  } finally {
    await client.end();
  }
}

// `npm run dev` (the built launcher), Ctrl-C while tofu applies, as a terminal sends it: SIGINT
// to the launcher's whole process group. Issue 16, item 1(a): Postgres got that SIGINT too and
// stopped before the worker had drained, so tofu could not save its state.
describe('the dev stack interrupted with Ctrl-C during an apply', () => {
  let launcher: DevLauncher | undefined;
  afterEach(() => launcher?.kill());

  it('stops gateway, then worker (drained, state saved), then Temporal, then Postgres, and the job settles after a restart', async () => {
    const dataDir = join(testEnv('runDir'), 'dev-stack-shutdown');
    mkdirSync(dataDir, { recursive: true });
    // Each resource of the local stack takes 4 s to create: the apply is still running when interrupted.
    const env = await devLauncherEnv(dataDir, { LOCAL_STACK_APPLY_DELAY_SECONDS: '4' });
    const environments = join(dataDir, 'environments');
    const logFile = join(dataDir, 'launcher.log');

    launcher = startDevLauncher(projectRoot(), env, logFile);
    await launcher.up;
    const request = aProvisionRequest();
    const accepted = await launcherCall(launcher, '/provisioning/provision', request);
    expect(accepted.status).toBe(202);
    const { job_id: jobId } = (await accepted.json()) as { job_id: string };

    // Mid-apply: the first resource exists, the others are still being created.
    await eventually(
      () => Promise.resolve(liveResources(environments, request.tenant_slug)),
      (r) => r.includes('vpc_network'),
      120_000,
    );
    launcher.interrupt();
    expect(await launcher.exited).toBe(0);

    const said = launcher
      .output()
      .split('\n')
      .filter((l) => /^dev: (stopping|stopped) /.test(l));
    expect(said).toEqual([
      'dev: stopping gateway',
      'dev: stopped gateway',
      'dev: stopping worker',
      'dev: stopped worker',
      'dev: stopping temporal',
      'dev: stopped temporal',
      'dev: stopping postgres',
      'dev: stopped postgres',
    ]);
    // The worker drained: tofu finished and saved its state while Postgres was still up.
    expect(filesNamed(join(dataDir, 'workspaces'), 'errored.tfstate')).toEqual([]);
    expect(launcher.output()).not.toMatch(/Failed to save state|connection refused/i);

    launcher = startDevLauncher(projectRoot(), env, logFile);
    await launcher.up;
    const settled = await eventually(
      async () =>
        (await (await launcherCall(launcher as DevLauncher, `/provisioning/status/${jobId}`)).json()) as {
          status: string;
          error?: unknown;
        },
      (s) => ['completed', 'failed'].includes(s.status),
      120_000,
    );
    expect(settled.status).toBe('completed');
    expect(liveResources(environments, request.tenant_slug)).toEqual(ALL_RESOURCES);
    const encryptionKey = readFileSync(join(dataDir, 'dev-encryption-key'), 'utf8').trim();
    expect(await stateResources(launcher.databaseUrl, request.tenant_id, encryptionKey)).toBe(3);

    launcher.interrupt();
    expect(await launcher.exited).toBe(0);
    launcher = undefined;
  }, 400_000);
});

import { cpSync, mkdtempSync, realpathSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../scripts/stack/project-paths';
import { devLauncherEnv, launcherCall, startDevLauncher, type DevLauncher } from '../support/dev-launcher';
import { testEnv } from '../support/test-env';

const asRoot = process.getuid?.() === 0;

// Issue 16, item 11: `npm run dev` as root from a folder other users cannot enter (a clone under
// /root, a mktemp -d folder) died with a raw EACCES stack from initdb: embedded Postgres runs as
// the postgres user. The project is copied (built) into a 0700 mktemp folder and started there.
describe('npm run dev as root from a folder other users cannot enter', () => {
  let launcher: DevLauncher | undefined;
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    launcher?.kill();
    for (const clean of cleanups) clean();
  });

  (asRoot ? it : it.skip)(
    'starts, with Postgres data where the postgres user can reach it, and stops cleanly (skipped when not root: only root runs Postgres as another user)',
    async () => {
      const folder = mkdtempSync(join(tmpdir(), 'poc-private-'));
      cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
      expect(statSync(folder).mode & 0o777).toBe(0o700);
      const root = projectRoot();
      const clone = join(folder, 'poc-provisioning-engine');
      for (const part of ['package.json', 'dist', 'terraform'])
        cpSync(join(root, part), join(clone, part), { recursive: true });
      for (const shared of ['node_modules', '.tools'])
        symlinkSync(realpathSync(join(root, shared)), join(clone, shared));

      const env = await devLauncherEnv(undefined);
      launcher = startDevLauncher(clone, env, join(testEnv('runDir'), 'private-folder-launcher.log'));
      await launcher.up;
      const moved = /Postgres data in (\/var\/tmp\/poc-engine-pgdata-[0-9a-f]+)/.exec(launcher.output())?.[1];
      expect(moved).toBeDefined();
      cleanups.push(() => rmSync(moved as string, { recursive: true, force: true }));
      expect(launcher.output()).not.toMatch(/EACCES/);

      const health = await launcherCall(launcher, '/health');
      expect(((await health.json()) as { status: string }).status).toBe('healthy');
      expect((await launcherCall(launcher, '/provisioning/jobs')).status).toBe(200);

      launcher.interrupt();
      expect(await launcher.exited).toBe(0);
      launcher = undefined;
    },
    300_000,
  );
});

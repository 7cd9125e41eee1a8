import { randomUUID } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { createActivities } from '../../activities/create-activities';
import { providerMirrorPath } from '../../scripts/stack/project-paths';
import { aProvisionRequest } from '../support/requests';
import { liveResources, openDatabase, realActivityDeps, runActivityStep, testFolders } from '../support/test-stack';

// Real tofu and the real localcloud provider from a filesystem mirror of this test's own, whose
// package is then rebuilt under the same version (as `npm run tools` does after a provider
// change): the workspace's lock file no longer matches it, and tofu refuses every verb until
// the lock is recorded again.
describe('a provider package rebuilt in the mirror under a kept workspace', () => {
  let db: DataSource;
  beforeAll(async () => {
    db = await openDatabase();
  });
  afterAll(() => db.destroy());

  it('is taken up by the next step: the environment is still destroyed, nothing left', async () => {
    const name = 'provider-package-rebuilt';
    const { environmentRoot } = testFolders(name);
    const mirror = mkdtempSync(join(tmpdir(), 'poc-mirror-'));
    cpSync(providerMirrorPath(), mirror, { recursive: true });
    const deps = realActivityDeps(db, name);
    const activities = createActivities({
      ...deps,
      tofu: { ...deps.tofu, providers: { kind: 'mirror', dir: mirror } },
    });
    const request = aProvisionRequest();
    const job = { jobId: randomUUID(), request };

    await runActivityStep(() => activities.tofuInit(job));
    await runActivityStep(() => activities.tofuPlan(job));
    await runActivityStep(() => activities.tofuApply(job));
    expect(liveResources(environmentRoot, request.tenant_slug)).toHaveLength(3);

    // The same provider, rebuilt: another package (a trailing byte leaves the binary runnable).
    const binaries = readdirSync(mirror, { recursive: true, encoding: 'utf8' }).filter((f) =>
      /terraform-provider-localcloud_v[^/]*$/.test(f),
    );
    expect(binaries).toHaveLength(1);
    appendFileSync(join(mirror, binaries[0]), Buffer.from([0]));

    await expect(runActivityStep(() => activities.tofuDestroy(job))).resolves.toEqual({ destroyed: 3 });
    expect(liveResources(environmentRoot, request.tenant_slug)).toEqual([]);
    await runActivityStep(() => activities.removeState(job));
  });
});

import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { JobReader } from '../../src/read-model/job-reader';
import { stateSchemaName } from '../../src/domain/workflow-ids';
import { destroyNowSignal } from '../../workflows/provision-environment.api';
import { descendants } from '../support/process-tree';
import { aProvisionRequest } from '../support/requests';
import { openIsolatedDatabase } from '../support/test-database';
import {
  eventually,
  liveResources,
  openTemporalClient,
  realActivityDeps,
  startProvisioningRun,
  startWorker,
  stateResourceCount,
  testFolders,
  withStateDatabase,
  ALL_RESOURCES,
  type RunningWorker,
} from '../support/test-stack';

/** OpenTofu's pg backend's "creation lock": advisory lock -1, shared by every tenant of a database. */
const CREATION_LOCK = '-1';

/** The advisory locks held in the state database right now, as bigint keys (text). */
async function heldAdvisoryLocks(db: DataSource): Promise<string[]> {
  const rows: Array<{ key: string }> = await db.query(
    `SELECT ((classid::bigint << 32) | objid::bigint)::text AS key
       FROM pg_locks
      WHERE locktype = 'advisory' AND granted AND objsubid = 1
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
  );
  return rows.map((r) => r.key);
}

/** The id of a tenant's state row: the advisory lock key tofu locks that tenant's state with. */
async function stateLockKey(db: DataSource, tenantId: string): Promise<string | undefined> {
  const rows: Array<{ id: string }> = await db
    .query(`SELECT id::text AS id FROM "${stateSchemaName(tenantId)}".states WHERE name = 'default'`)
    .catch(() => []);
  return rows[0]?.id;
}

// Issue 16, item 7: OpenTofu 1.6's pg backend takes advisory lock -1 ("creation") for a tenant
// whose state has no row yet, and holds it through that tenant's whole first plan and apply;
// every other tenant's lock attempt also takes -1 and fails while it is held. The engine now
// creates each tenant's schema, table and empty state row before tofu runs. Asserted from
// pg_locks and from the order of events, not from durations: the holder's apply is made to last
// until the test ends it, so the burst either finishes while the holder's lock is held or not at all.
describe('tenants on the pg state backend', () => {
  let iso: Awaited<ReturnType<typeof openIsolatedDatabase>>;
  let client: Client;
  const workers: RunningWorker[] = [];

  beforeAll(async () => {
    iso = await openIsolatedDatabase('locks');
    client = await openTemporalClient();
  });
  afterAll(async () => {
    // The holder's local-exec sleeps for ten minutes: end it with the test.
    for (const p of descendants(process.pid).filter((d) => d.argv[0] === 'sleep')) process.kill(p.pid, 'SIGKILL');
    for (const w of workers) await w.stop();
    await client.connection.close();
    await iso.drop();
  });

  it('never wait for one another: a burst of new tenants and a destroy finish while a new tenant holds its lock mid-apply', async () => {
    const name = 'locks';
    const slowQueue = `${name}-slow`;
    const deps = (simulate: { applyDelaySeconds?: number }) =>
      withStateDatabase(realActivityDeps(iso.db, name, simulate), iso.url);
    workers.push(await startWorker(slowQueue, deps({ applyDelaySeconds: 600 })));
    workers.push(await startWorker(name, deps({}), { maxConcurrentProvisions: 6 }));
    const reader = new JobReader(iso.db);
    const settled = (jobId: string) =>
      eventually(
        () => reader.findJob(jobId),
        (j) => ['completed', 'failed'].includes(j?.status ?? ''),
        240_000,
      );

    // An existing tenant, to be destroyed during the holder's first apply.
    const existing = aProvisionRequest();
    const existingRun = await startProvisioningRun(iso.db, client, name, existing);
    expect((await settled(existingRun.jobId))?.status).toBe('completed');

    // The holder: a new tenant whose first apply lasts until the test ends it.
    const holder = aProvisionRequest();
    const holderRun = await startProvisioningRun(iso.db, client, slowQueue, holder);
    // Its apply has started and tofu holds a state lock.
    const whileApplying = await eventually<string[]>(
      async () =>
        (await reader.findJob(holderRun.jobId))?.currentStep === 'tofu_apply' ? heldAdvisoryLocks(iso.db) : [],
      (held) => held.length > 0,
      120_000,
    );
    // It holds its own state's lock, and not the creation lock every tenant shares.
    const holderKey = await stateLockKey(iso.db, holder.tenant_id);
    expect({
      creationLockHeld: whileApplying.includes(CREATION_LOCK),
      holdsOwnLock: whileApplying.includes(String(holderKey)),
    }).toEqual({
      creationLockHeld: false,
      holdsOwnLock: true,
    });

    // A burst of new tenants, and the existing tenant's destroy, all at once.
    const burst = Array.from({ length: 4 }, () => aProvisionRequest());
    const runs = await Promise.all(burst.map((r) => startProvisioningRun(iso.db, client, name, r)));
    await existingRun.handle.signal(destroyNowSignal, { reason: 'lock test' });
    const ended = await Promise.all(runs.map((r) => settled(r.jobId)));
    const destroyed = await eventually(
      () => reader.findJob(existingRun.jobId),
      (j) => j?.status === 'destroyed' || j?.status === 'failed',
      240_000,
    );

    // All of them finished while the holder still held its lock in the middle of its apply.
    expect(await heldAdvisoryLocks(iso.db)).toContain(holderKey);
    expect((await reader.findJob(holderRun.jobId))?.currentStep).toBe('tofu_apply');
    expect(ended.map((j) => ({ status: j?.status, retries: j?.retryCount }))).toEqual(
      burst.map(() => ({ status: 'completed', retries: 0 })),
    );
    expect(destroyed?.status).toBe('destroyed');
    const folders = testFolders(name);
    for (const r of burst) {
      expect(liveResources(folders.environmentRoot, r.tenant_slug)).toEqual(ALL_RESOURCES);
      expect(await stateResourceCount(iso.db, r.tenant_id)).toBe(3);
    }
    expect(liveResources(folders.environmentRoot, existing.tenant_slug)).toEqual([]);

    await holderRun.handle.terminate('lock test done');
  }, 600_000);
});

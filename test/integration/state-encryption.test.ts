import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createActivities, type ActivityDeps } from '../../activities/create-activities';
import { PgStateStore } from '../../activities/state/pg-state-store';
import { openState, trackedResources } from '../../activities/state/state-contents';
import { externalKeyProviderName, keyProviderName, statePassphrases } from '../../activities/state/state-encryption';
import { stateSchemaName } from '../../src/domain/workflow-ids';
import { aProvisionRequest } from '../support/requests';
import { stateSealedWithPbkdf2 } from '../support/tofu-state-envelopes';
import { liveResources, openDatabase, realActivityDeps, runActivityStep, testFolders } from '../support/test-stack';

/** The same deps with tofu state encrypted under these master keys (current first). */
function withMasterKeys(db: DataSource, deps: ActivityDeps, keys: Buffer[]): ActivityDeps {
  const passphrases = statePassphrases(keys);
  return {
    ...deps,
    state: new PgStateStore(db, passphrases),
    tofu: { ...deps.tofu, stateEncryption: { passphrases } },
  };
}

// Real tofu (its encryption), real Postgres: what the pg backend stores for a tenant.
describe('tofu state encryption', () => {
  let db: DataSource;
  beforeAll(async () => {
    db = await openDatabase();
  });
  afterAll(() => db.destroy());

  const storedState = async (tenantId: string): Promise<string> => {
    const rows: Array<{ data: string }> = await db.query(
      `SELECT data FROM "${stateSchemaName(tenantId)}".states WHERE name = 'default'`,
    );
    return rows[0].data;
  };

  it('stores state encrypted, and opens state encrypted with a retired key after rotation, writing it back under the current key', async () => {
    const name = 'state-encryption';
    const { environmentRoot } = testFolders(name);
    const first = Buffer.alloc(32, 11);
    const second = Buffer.alloc(32, 22);
    const [firstPassphrase] = statePassphrases([first]);
    const [secondPassphrase] = statePassphrases([second]);
    const request = aProvisionRequest();
    const job = { jobId: randomUUID(), request };

    const before = createActivities(withMasterKeys(db, realActivityDeps(db, name), [first]));
    await runActivityStep(() => before.tofuInit(job));
    await runActivityStep(() => before.tofuPlan(job));
    await runActivityStep(() => before.tofuApply(job));
    expect(liveResources(environmentRoot, request.tenant_slug)).toHaveLength(3);

    // Nothing of the state is in clear in the row (only tofu's serial and lineage are): not its
    // resources, not the tenant's names, so no credential a state may hold either. Only the
    // engine's key opens it.
    const raw = await storedState(request.tenant_id);
    expect(JSON.parse(raw)).toMatchObject({
      encryption_version: expect.any(String),
      encrypted_data: expect.any(String),
    });
    for (const clear of [request.tenant_slug, 'terraform_data', 'resources']) expect(raw).not.toContain(clear);
    expect(await trackedResources(raw, [firstPassphrase])).toBe(3);
    await expect(trackedResources(raw, [secondPassphrase])).rejects.toThrow(/cannot open/);

    // Rotation: a new current key, the first one retired. The state opens, and the next apply
    // (nothing to change) writes it back under the current key.
    const rotated = createActivities(withMasterKeys(db, realActivityDeps(db, name), [second, first]));
    expect((await runActivityStep(() => rotated.stateResources(job))).sort()).toHaveLength(3);
    await expect(runActivityStep(() => rotated.tofuPlan(job))).resolves.toEqual({ add: 0, change: 0, destroy: 0 });
    await runActivityStep(() => rotated.tofuApply(job));
    const rewritten = await storedState(request.tenant_id);
    expect(await trackedResources(rewritten, [secondPassphrase])).toBe(3);

    // Once rewritten, the retired key is no longer needed: the destroy runs with the current key only.
    const after = createActivities(withMasterKeys(db, realActivityDeps(db, name), [second]));
    await expect(runActivityStep(() => after.tofuDestroy(job))).resolves.toEqual({ destroyed: 3 });
    expect(liveResources(environmentRoot, request.tenant_slug)).toEqual([]);
    await runActivityStep(() => after.removeState(job));
    expect(
      await db.query(`SELECT 1 FROM information_schema.schemata WHERE schema_name = $1`, [
        stateSchemaName(request.tenant_id),
      ]),
    ).toHaveLength(0);
  });

  it('encrypts with a key that needs no stretching (ADR 30), and opens state an older engine sealed with pbkdf2, writing it back under the new key', async () => {
    const name = 'state-encryption-pbkdf2';
    const { environmentRoot } = testFolders(name);
    const [passphrase] = statePassphrases([Buffer.alloc(32, 33)]);
    const request = aProvisionRequest();
    const job = { jobId: randomUUID(), request };
    const acts = createActivities(withMasterKeys(db, realActivityDeps(db, name), [Buffer.alloc(32, 33)]));
    await runActivityStep(() => acts.tofuInit(job));
    await runActivityStep(() => acts.tofuPlan(job));
    await runActivityStep(() => acts.tofuApply(job));
    const metaKeys = (raw: string) => Object.keys((JSON.parse(raw) as { meta: object }).meta);
    const sealed = await storedState(request.tenant_id);
    expect(metaKeys(sealed)).toEqual([`key_provider.external.${externalKeyProviderName(passphrase)}`]);

    // The same state as an engine before ADR 30 stored it: sealed by pbkdf2 under the same key.
    const legacy = stateSealedWithPbkdf2(await openState(sealed, [passphrase]), passphrase);
    await db.query(`UPDATE "${stateSchemaName(request.tenant_id)}".states SET data = $1 WHERE name = 'default'`, [
      legacy,
    ]);
    expect(metaKeys(await storedState(request.tenant_id))).toEqual([
      `key_provider.pbkdf2.${keyProviderName(passphrase)}`,
    ]);

    // tofu opens it through the pbkdf2 fallback: nothing to change, and the next write seals it
    // under the external key; the destroy then needs nothing of pbkdf2.
    await expect(runActivityStep(() => acts.tofuPlan(job))).resolves.toEqual({ add: 0, change: 0, destroy: 0 });
    await runActivityStep(() => acts.tofuApply(job));
    const rewritten = await storedState(request.tenant_id);
    expect(metaKeys(rewritten)).toEqual([`key_provider.external.${externalKeyProviderName(passphrase)}`]);
    expect(await trackedResources(rewritten, [passphrase])).toBe(3);
    await expect(runActivityStep(() => acts.tofuDestroy(job))).resolves.toEqual({ destroyed: 3 });
    expect(liveResources(environmentRoot, request.tenant_slug)).toEqual([]);
    await runActivityStep(() => acts.removeState(job));
  });
});

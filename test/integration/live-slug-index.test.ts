import { randomUUID } from 'node:crypto';
import { LiveTenantSlug1764640800000 } from '../../src/persistence/migrations/1764640800000-live-tenant-slug';
import { openIsolatedDatabase } from '../support/test-database';

// The live-slug index on a real Postgres, in a database of its own (rows here share slugs on
// purpose). The migration is run by hand, down then up, so the test does not depend on which
// migrations come after it.
describe('one live job per tenant slug', () => {
  let isolated: Awaited<ReturnType<typeof openIsolatedDatabase>>;
  const migration = new LiveTenantSlug1764640800000();

  beforeAll(async () => {
    isolated = await openIsolatedDatabase('live_slug_index');
  });
  afterAll(async () => {
    await isolated?.drop();
  });

  const insertJob = async (slug: string, status: string) => {
    const jobId = randomUUID();
    await isolated.db.query(
      `INSERT INTO provisioning_jobs (job_id, tenant_id, tenant_slug, poc_tier, status, priority, workflow_id,
         request_payload, expires_at, queued_at)
       VALUES ($1, $2, $3, 'standard', $4, 'standard', $5, '{}'::jsonb, now() + interval '1 day', now())`,
      [jobId, randomUUID(), slug, status, `wf-${jobId}`],
    );
    return jobId;
  };

  it('refuses to build while live jobs of different tenants share a slug, naming them, and builds once they do not', async () => {
    const runner = isolated.db.createQueryRunner();
    try {
      await migration.down(runner);
      const first = await insertJob('shared-slug', 'completed');
      const second = await insertJob('shared-slug', 'queued');
      await insertJob('shared-slug', 'destroyed');

      await expect(migration.up(runner)).rejects.toThrow(
        new RegExp(`shared-slug: .*(${first}.*${second}|${second}.*${first})`),
      );

      await isolated.db.query(`UPDATE provisioning_jobs SET status = 'cancelled' WHERE job_id = $1`, [second]);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
  });

  it('lets one live job hold a slug, refuses a second, and frees the slug when the job ends', async () => {
    const holder = await insertJob('one-slug', 'provisioning');
    await expect(insertJob('one-slug', 'queued')).rejects.toThrow(/uq_jobs_live_slug/);
    await insertJob('one-slug', 'failed');

    await isolated.db.query(`UPDATE provisioning_jobs SET status = 'destroyed' WHERE job_id = $1`, [holder]);
    await expect(insertJob('one-slug', 'queued')).resolves.toEqual(expect.any(String));
  });
});

import type { MigrationInterface, QueryRunner } from 'typeorm';
import { LIVE_STATUSES, sqlStatusList } from '../../domain/job-state-machine';

// The live statuses of the job state machine, as uq_jobs_live_tenant (1764633600000) uses them.
const LIVE = sqlStatusList(LIVE_STATUSES);

/**
 * One live job per tenant slug, whichever tenant: the slug names the environment's resources,
 * so two live environments with one slug would collide in the cloud. The database decides
 * concurrent submits; the API answers the loser 409 TENANT_SLUG_TAKEN naming the holder.
 */
export class LiveTenantSlug1764640800000 implements MigrationInterface {
  name = 'LiveTenantSlug1764640800000';

  async up(q: QueryRunner): Promise<void> {
    const duplicates = (await q.query(`
      SELECT tenant_slug, string_agg(job_id::text || ' (' || status || ')', ', ') AS jobs
        FROM provisioning_jobs WHERE status IN ${LIVE}
       GROUP BY tenant_slug HAVING count(*) > 1`)) as Array<{ tenant_slug: string; jobs: string }>;
    if (duplicates.length > 0) {
      // Which environment keeps the slug is an operator's decision: say what to look at.
      const list = duplicates.map((d) => `${d.tenant_slug}: ${d.jobs}`).join('; ');
      throw new Error(
        `cannot make live tenant slugs unique: live jobs share a slug (${list}); destroy or cancel all but one of each, then migrate again`,
      );
    }
    await q.query(`CREATE UNIQUE INDEX uq_jobs_live_slug ON provisioning_jobs (tenant_slug) WHERE status IN ${LIVE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX uq_jobs_live_slug`);
  }
}

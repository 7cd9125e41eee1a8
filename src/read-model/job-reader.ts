import { In, Not, type DataSource } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { ApplyValueTransformers } from 'typeorm/util/ApplyValueTransformers';
import type { TenantSet } from '../auth/tenant-scope';
import { LIVE_STATUSES, type JobStatus } from '../domain/job-state-machine';
import { JobEventEntity } from '../persistence/job-event.entity';
import { ProvisioningJobEntity } from '../persistence/provisioning-job.entity';

/**
 * Reads the read model; the API answers from here only, never from Temporal. Every read of a
 * job the API makes for a caller takes the caller's tenant set: a job of another tenant is not
 * found, exactly like one that does not exist (ADR 0019).
 */
export class JobReader {
  constructor(private readonly db: DataSource) {}

  /** The hot read (every status poll): its SQL is built once from the entity's metadata. */
  private jobByIdQuery?: { sql: string; columns: ColumnMetadata[] };

  /**
   * The job, if it exists and belongs to one of `tenants` (undefined: any tenant), as the
   * repository would load it, through one plain query: TypeORM's query builder and entity
   * hydration cost more per call than the query itself (issue 15).
   */
  async findJob(jobId: string, tenants?: TenantSet): Promise<ProvisioningJobEntity | null> {
    const q = (this.jobByIdQuery ??= jobByIdQuery(this.db));
    const rows: Array<Record<string, unknown>> = tenants
      ? await this.db.query(`${q.sql} AND "tenant_id" = ANY($2::uuid[])`, [jobId, [...tenants]])
      : await this.db.query(q.sql, [jobId]);
    if (rows.length === 0) return null;
    const row = rows[0];
    // Column transformers (none today) apply as they would through the repository.
    for (const c of q.columns) {
      if (c.transformer) row[c.propertyName] = ApplyValueTransformers.transformFrom(c.transformer, row[c.propertyName]);
    }
    return Object.assign(new ProvisioningJobEntity(), row);
  }

  /** The sealed credentials of a job: undefined for no such job (of `tenants`), null when none were issued. */
  async findSealedCredentials(jobId: string, tenants?: TenantSet): Promise<string | null | undefined> {
    const rows: Array<{ access_credentials: string | null }> = await this.db.query(
      tenants
        ? 'SELECT access_credentials FROM provisioning_jobs WHERE job_id = $1 AND tenant_id = ANY($2::uuid[])'
        : 'SELECT access_credentials FROM provisioning_jobs WHERE job_id = $1',
      tenants ? [jobId, [...tenants]] : [jobId],
    );
    return rows.length === 0 ? undefined : rows[0].access_credentials;
  }

  /** The tenant's job whose environment is still live, if any. */
  findLiveJobOfTenant(tenantId: string): Promise<ProvisioningJobEntity | null> {
    return this.db
      .getRepository(ProvisioningJobEntity)
      .findOne({ where: { tenantId, status: In([...LIVE_STATUSES]) }, order: { createdAt: 'DESC' } });
  }

  /** The tenant's newest job other than `exceptJobId`: the one whose run holds the tenant's workflow id. */
  latestOtherJobOfTenant(tenantId: string, exceptJobId: string): Promise<ProvisioningJobEntity | null> {
    return this.db
      .getRepository(ProvisioningJobEntity)
      .findOne({ where: { tenantId, jobId: Not(exceptJobId) }, order: { createdAt: 'DESC' } });
  }

  /** The live job that holds a tenant slug (of whichever tenant), if any. */
  findLiveJobOfSlug(tenantSlug: string): Promise<ProvisioningJobEntity | null> {
    return this.db
      .getRepository(ProvisioningJobEntity)
      .findOne({ where: { tenantSlug, status: In([...LIVE_STATUSES]) }, order: { createdAt: 'DESC' } });
  }

  /** The job accepted under an idempotency key, with the hash of its request. */
  async findByRequestId(requestId: string): Promise<{ job: ProvisioningJobEntity; requestHash: string | null } | null> {
    const job = await this.db
      .getRepository(ProvisioningJobEntity)
      .createQueryBuilder('j')
      .addSelect('j.requestHash') // not selected by default: only idempotency needs it
      .where('j.request_id = :requestId', { requestId })
      .getOne();
    return job ? { job, requestHash: job.requestHash } : null;
  }

  /**
   * One page of jobs, newest first, filtered. Keyset pagination on (created_at, job_id): pages
   * stay stable while new jobs arrive, and a page costs the same however deep it is.
   */
  async listJobs(filter: JobListFilter): Promise<{ jobs: ProvisioningJobEntity[]; next: JobCursor | null }> {
    const q = this.db.getRepository(ProvisioningJobEntity).createQueryBuilder('j');
    if (filter.tenantId) q.andWhere('j.tenant_id = :tenantId', { tenantId: filter.tenantId });
    if (filter.tenants) {
      if (filter.tenants.length === 0) q.andWhere('false');
      else q.andWhere('j.tenant_id IN (:...tenants)', { tenants: [...filter.tenants] });
    }
    if (filter.statuses?.length) q.andWhere('j.status IN (:...statuses)', { statuses: filter.statuses });
    if (filter.tier) q.andWhere('j.poc_tier = :tier', { tier: filter.tier });
    if (filter.createdFrom) q.andWhere('j.created_at >= :from', { from: filter.createdFrom });
    if (filter.createdTo) q.andWhere('j.created_at < :to', { to: filter.createdTo });
    if (filter.after) {
      q.andWhere('(j.created_at, j.job_id) < (:afterCreated, :afterId)', {
        afterCreated: filter.after.createdAt,
        afterId: filter.after.jobId,
      });
    }
    const rows = await q
      .orderBy('j.created_at', 'DESC')
      .addOrderBy('j.job_id', 'DESC')
      .take(filter.limit + 1)
      .getMany();
    const jobs = rows.slice(0, filter.limit);
    const last = jobs[jobs.length - 1];
    return {
      jobs,
      next: rows.length > filter.limit && last ? { createdAt: last.createdAt.toISOString(), jobId: last.jobId } : null,
    };
  }

  /** The job's step history, oldest first. */
  events(jobId: string): Promise<JobEventEntity[]> {
    return this.db.getRepository(JobEventEntity).find({ where: { jobId }, order: { seq: 'ASC' } });
  }

  /** Median seconds to ready of the tier's latest ready jobs; null before any. */
  async observedDurationSeconds(tier: string): Promise<number | null> {
    const rows: Array<{ median: number | null }> = await this.db.query(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS median FROM (
         SELECT actual_duration_seconds AS d FROM provisioning_jobs
          WHERE poc_tier = $1 AND actual_duration_seconds IS NOT NULL
          ORDER BY completed_at DESC LIMIT 50) recent`,
      [tier],
    );
    const median = rows[0]?.median;
    return median === null || median === undefined ? null : Math.round(Number(median));
  }
}

/** Where the previous page ended. */
export interface JobCursor {
  createdAt: string;
  jobId: string;
}

export interface JobListFilter {
  tenantId?: string;
  /** The caller's tenant set: only their jobs are listed (undefined: every tenant's). */
  tenants?: TenantSet;
  statuses?: JobStatus[];
  tier?: string;
  createdFrom?: string;
  createdTo?: string;
  after?: JobCursor;
  limit: number;
}

/** SELECT of one job by id, every column the repository selects, named as the entity's properties. */
function jobByIdQuery(db: DataSource): { sql: string; columns: ColumnMetadata[] } {
  const meta = db.getMetadata(ProvisioningJobEntity);
  const columns = meta.columns.filter((c) => c.isSelect);
  const list = columns.map((c) => `"${c.databaseName}" AS "${c.propertyName}"`).join(', ');
  return { sql: `SELECT ${list} FROM "${meta.tableName}" WHERE "job_id" = $1`, columns };
}

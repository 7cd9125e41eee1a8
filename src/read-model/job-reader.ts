import { In, type DataSource } from 'typeorm';
import type { JobStatus } from '../domain/job-status';
import { ProvisioningJobEntity } from '../persistence/provisioning-job.entity';

/** Statuses of a job whose environment may exist or is being made. */
const LIVE: JobStatus[] = ['pending', 'queued', 'provisioning', 'completed', 'destroying'];

/** Reads the read model; the API answers from here only, never from Temporal. */
export class JobReader {
  constructor(private readonly db: DataSource) {}

  findJob(jobId: string): Promise<ProvisioningJobEntity | null> {
    return this.db.getRepository(ProvisioningJobEntity).findOneBy({ jobId });
  }

  /** The sealed credentials of a job: undefined for no such job, null when none were issued. */
  async findSealedCredentials(jobId: string): Promise<string | null | undefined> {
    const rows: Array<{ access_credentials: string | null }> = await this.db.query(
      'SELECT access_credentials FROM provisioning_jobs WHERE job_id = $1',
      [jobId],
    );
    return rows.length === 0 ? undefined : rows[0].access_credentials;
  }

  /** The tenant's job whose environment is still live, if any. */
  findLiveJobOfTenant(tenantId: string): Promise<ProvisioningJobEntity | null> {
    return this.db
      .getRepository(ProvisioningJobEntity)
      .findOne({ where: { tenantId, status: In(LIVE) }, order: { createdAt: 'DESC' } });
  }
}

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

  /** The tenant's job whose environment is still live, if any. */
  findLiveJobOfTenant(tenantId: string): Promise<ProvisioningJobEntity | null> {
    return this.db
      .getRepository(ProvisioningJobEntity)
      .findOne({ where: { tenantId, status: In(LIVE) }, order: { createdAt: 'DESC' } });
  }
}

import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { SecretBox } from '../../src/crypto/secret-box';
import { provisioningWorkflowId } from '../../src/domain/workflow-ids';
import { JobWriter } from '../../src/read-model/job-writer';
import { resealCredentials } from '../../src/read-model/reseal-credentials';
import { aProvisionRequest } from '../support/requests';
import { openIsolatedDatabase } from '../support/test-database';

// Real Postgres, a database of its own (the re-seal touches every row).
describe('rotating the encryption key', () => {
  let iso: Awaited<ReturnType<typeof openIsolatedDatabase>>;
  let db: DataSource;

  beforeAll(async () => {
    iso = await openIsolatedDatabase('key_rotation');
    db = iso.db;
  });
  afterAll(async () => {
    await iso?.drop();
  });

  it('re-seals stored credentials with the new key, so the retired key can be dropped', async () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const writer = new JobWriter(db);
    const jobs: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const request = aProvisionRequest();
      const jobId = randomUUID();
      await writer.insertQueued({ jobId, workflowId: provisioningWorkflowId(request.tenant_id), request });
      const sealed = SecretBox.derive(oldKey, 'access-credentials').seal(Buffer.from(`secret-${i}`), jobId);
      await writer.storeCredentials(jobId, sealed.toString('base64'));
      jobs.push(jobId);
    }

    const resealed = await resealCredentials(db, SecretBox.derive([newKey, oldKey], 'access-credentials'));
    expect(resealed).toBe(3);
    // A second run changes nothing a reader could tell (interrupted runs are simply repeated).
    await expect(resealCredentials(db, SecretBox.derive([newKey, oldKey], 'access-credentials'))).resolves.toBe(3);

    const onlyNew = SecretBox.derive(newKey, 'access-credentials');
    const onlyOld = SecretBox.derive(oldKey, 'access-credentials');
    for (const [i, jobId] of jobs.entries()) {
      const [row] = await db.query('SELECT access_credentials FROM provisioning_jobs WHERE job_id = $1', [jobId]);
      const sealed = Buffer.from(row.access_credentials, 'base64');
      expect(onlyNew.open(sealed, jobId).toString()).toBe(`secret-${i}`);
      expect(() => onlyOld.open(sealed, jobId)).toThrow();
    }
  });
});

import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { SecretBox } from '../../src/crypto/secret-box';
import { provisioningWorkflowId } from '../../src/domain/workflow-ids';
import { JobWriter } from '../../src/read-model/job-writer';
import { PersonalDataVault } from '../../src/read-model/personal-data-vault';
import { ReconciliationStore } from '../../src/read-model/reconciliation-store';
import { resealCredentials } from '../../src/read-model/reseal-credentials';
import { resealPersonalData } from '../../src/read-model/reseal-personal-data';
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

  it('opens personal data sealed with the retired key, and re-seals it with the new key so the retired one can go', async () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const writer = new JobWriter(db, PersonalDataVault.fromKeys(oldKey));
    const jobs: Array<{ jobId: string; request: ReturnType<typeof aProvisionRequest> }> = [];
    for (let i = 0; i < 3; i += 1) {
      const request = aProvisionRequest();
      request.company_info = { ...request.company_info, contact_name: `Contact ${i}` };
      const jobId = randomUUID();
      await writer.insertQueued({ jobId, workflowId: provisioningWorkflowId(request.tenant_id), request });
      jobs.push({ jobId, request });
    }

    // During the rotation (new key first, the old one retired) the engine still reads them.
    const rotating = PersonalDataVault.fromKeys([newKey, oldKey]);
    for (const { jobId, request } of jobs)
      await expect(new ReconciliationStore(db, rotating).requestOf(jobId)).resolves.toEqual(request);

    expect(await resealPersonalData(db, rotating)).toBeGreaterThanOrEqual(3);
    const onlyNew = new ReconciliationStore(db, PersonalDataVault.fromKeys(newKey));
    for (const { jobId, request } of jobs) {
      await expect(onlyNew.requestOf(jobId)).resolves.toEqual(request);
      const [row] = await db.query('SELECT personal_data FROM provisioning_jobs WHERE job_id = $1', [jobId]);
      expect(() => PersonalDataVault.fromKeys(oldKey).open(jobId, row.personal_data)).toThrow();
    }
  });
});

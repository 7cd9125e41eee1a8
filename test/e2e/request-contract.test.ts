import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import seedRequest from '../fixtures/seed/provision-request.json';
import { PersonalDataVault } from '../../src/read-model/personal-data-vault';
import { startGateway, type ApiBody, type TestGateway } from '../support/gateway';
import { TEST_ENCRYPTION_KEY } from '../support/test-env';
import { aProvisionRequest } from '../support/requests';
import { openDatabase } from '../support/test-stack';

const DAY_MS = 24 * 3600_000;

/** The seed's example request verbatim, with a fresh tenant id and slug and expires_at 30 days out (its poc_duration_days). */
function seedWithFreshTenant() {
  const tenantId = randomUUID();
  return {
    ...seedRequest,
    tenant_id: tenantId,
    tenant_slug: `acme-cybersecurity-inc-${tenantId.slice(0, 8)}`,
    poc_config: { ...seedRequest.poc_config, expires_at: new Date(Date.now() + 30 * DAY_MS).toISOString() },
  };
}

// The real gateway over HTTP on the test database and Temporal dev server. No worker polls this
// task queue: these tests are about what the API accepts and records, not about provisioning.
describe('the request contract', () => {
  let gateway: TestGateway;
  let db: DataSource;
  const jobsOfSlug = (slug: string): Promise<Array<{ job_id: string; tenant_id: string; status: string }>> =>
    db.query('SELECT job_id, tenant_id, status FROM provisioning_jobs WHERE tenant_slug = $1', [slug]);
  const submit = (json: unknown) => gateway.call('/provisioning/provision', { method: 'POST', json });

  beforeAll(async () => {
    db = await openDatabase();
    gateway = await startGateway('request-contract');
  });
  afterAll(async () => {
    await gateway?.close();
    await db?.destroy();
  });

  it("accepts the seed's example request field for field with 202, and records it as sent", async () => {
    const request = seedWithFreshTenant();
    const res = await submit(request);
    const body: ApiBody = await res.json();
    expect({ status: res.status, body }).toMatchObject({ status: 202, body: { success: true, status: 'queued' } });

    const [row]: Array<{ request_payload: Record<string, ApiBody> }> = await db.query(
      'SELECT request_payload FROM provisioning_jobs WHERE job_id = $1',
      [body.job_id],
    );
    expect(row.request_payload).toMatchObject({
      company_info: { company_size: 'enterprise', industry_vertical: 'financial_services' },
      poc_config: {
        poc_tier: 'enterprise',
        enabled_features: ['threat_detection', 'vulnerability_management', 'email_security'],
        resource_allocation: { cpu_cores: 16, memory_gb: 64, storage_gb: 1000, max_users: 100 },
      },
      security_config: { security_clearance: 'unclassified', data_residency_region: 'us' },
      integration_config: { allowed_data_connectors: ['splunk', 'qradar'] },
      monitoring_config: { retention_days: 90 },
    });
  });

  it("keeps the seed request's personal fields out of its row in clear, sealed for the job with ENCRYPTION_KEY", async () => {
    const request = seedWithFreshTenant();
    const body: ApiBody = await (await submit(request)).json();
    const [row]: Array<{ text: string; personal_data: string }> = await db.query(
      'SELECT to_jsonb(j)::text AS text, personal_data FROM provisioning_jobs j WHERE job_id = $1',
      [body.job_id],
    );
    const { company_name, contact_email, contact_name } = seedRequest.company_info;
    for (const value of [company_name, contact_email, contact_name]) expect(row.text).not.toContain(value);
    const vault = PersonalDataVault.fromKeys(Buffer.from(TEST_ENCRYPTION_KEY, 'base64'));
    expect(vault.open(body.job_id, row.personal_data)).toEqual({ company_name, contact_email, contact_name });
  });

  it('accepts descriptive values outside the known catalogue when they have the safe shape', async () => {
    const request = seedWithFreshTenant();
    const res = await submit({
      ...request,
      company_info: { ...request.company_info, industry_vertical: 'space_mining', company_size: '1-10' },
      poc_config: { ...request.poc_config, enabled_features: ['threat_detection', 'quantum.shield+beta'] },
      security_config: { ...request.security_config, security_clearance: 'nato-restricted' },
      integration_config: { ...request.integration_config, allowed_data_connectors: ['crowdstrike_falcon'] },
    });
    expect(res.status).toBe(202);
  });

  it('answers 409 TENANT_SLUG_TAKEN naming the holding job when another tenant asks for a live slug, and writes nothing', async () => {
    const first = aProvisionRequest();
    const held = await submit(first);
    expect(held.status).toBe(202);
    const holder: ApiBody = await held.json();

    const res = await submit({ ...aProvisionRequest(), tenant_slug: first.tenant_slug });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({
      success: false,
      error: {
        code: 'TENANT_SLUG_TAKEN',
        job_id: holder.job_id,
        status: 'queued',
        details: [{ field: 'tenant_slug', reason: expect.any(String) }],
      },
    });
    expect(await jobsOfSlug(first.tenant_slug)).toEqual([
      { job_id: holder.job_id, tenant_id: first.tenant_id, status: 'queued' },
    ]);
  });

  it('still answers ENVIRONMENT_ALREADY_ACTIVE naming the job when the same tenant asks again', async () => {
    const request = aProvisionRequest();
    const first: ApiBody = await (await submit(request)).json();
    const res = await submit({ ...request, tenant_slug: `${request.tenant_slug}-2` });
    expect(res.status).toBe(409);
    expect((await res.json()).error).toMatchObject({
      code: 'ENVIRONMENT_ALREADY_ACTIVE',
      job_id: first.job_id,
      status: 'queued',
    });
  });

  it('lets exactly one of two tenants submitting one slug at the same moment win, and names the winner to the other', async () => {
    // Several rounds, each a fresh slug: the database's unique index decides each race.
    for (let round = 0; round < 5; round++) {
      const a = aProvisionRequest();
      const b = { ...aProvisionRequest(), tenant_slug: a.tenant_slug };
      const answers = await Promise.all([a, b].map(async (r) => ({ res: await submit(r), tenant: r.tenant_id })));
      const bodies = await Promise.all(answers.map(async (x) => ({ status: x.res.status, body: await x.res.json() })));
      const won = bodies.filter((x) => x.status === 202);
      const lost = bodies.filter((x) => x.status === 409);
      expect({ won: won.length, lost: lost.length }).toEqual({ won: 1, lost: 1 });
      expect(lost[0].body.error).toMatchObject({
        code: 'TENANT_SLUG_TAKEN',
        job_id: won[0].body.job_id,
        status: 'queued',
      });
      expect(await jobsOfSlug(a.tenant_slug)).toHaveLength(1);
    }
  });
});

import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { aProvisionRequest } from '../support/requests';
import { KEYS, startGateway, type ApiBody, type TestGateway } from '../support/gateway';
import { openDatabase } from '../support/test-stack';
import { JobWriter } from '../../src/read-model/job-writer';

const JWT_SECRET = 'jwt-secret-for-tenant-scoped-keys-0123456789';
const ISSUER = 'https://signup.test';
const AUDIENCE = 'poc-engine';

/** Tenant A's signup backend may act for A, A2 and A3; tenant B's for B and B2; KEYS.all for every tenant. */
const A: string = randomUUID();
const A2: string = randomUUID();
const A3: string = randomUUID();
const B: string = randomUUID();
const B2: string = randomUUID();
const KEY_A = 'e2e-tenant-a-key-0123456789';
const KEY_B = 'e2e-tenant-b-key-0123456789';

const requestFor = (tenantId: string, extra: Record<string, unknown> = {}) => ({
  ...aProvisionRequest(),
  tenant_id: tenantId,
  tenant_slug: `t-${tenantId.slice(0, 8)}`,
  ...extra,
});

function serviceToken(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT({ scope: 'provision read credentials', ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('signup-backend-b')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(JWT_SECRET));
}

// A real gateway over HTTP on the test database and Temporal. No worker runs: jobA and jobB stay
// queued; jobADone and jobBDone are marked failed in the read model (as their run would), so that
// "found" (200, or 409 for an action a failed job does not allow) can be told from "not found"
// (404) without a run. Two keys scoped to different tenants, one unscoped key, and a scoped JWT.
describe('tenant-scoped keys', () => {
  let gateway: TestGateway;
  let db: DataSource;
  let jobA: string;
  let jobB: string;
  let jobADone: string;
  let jobBDone: string;
  const jobCount = async () => Number((await db.query('SELECT count(*) AS n FROM provisioning_jobs'))[0].n);
  const auditCount = async (jobId: string) =>
    Number((await db.query('SELECT count(*) AS n FROM job_action_audit WHERE job_id = $1', [jobId]))[0].n);

  beforeAll(async () => {
    db = await openDatabase();
    gateway = await startGateway('tenant-scoped-keys', {
      PROVISIONING_API_KEYS: [
        KEYS.all,
        `${KEY_A}:provision+read+credentials@${A}+${A2}+${A3}`,
        `${KEY_B}:provision+read+credentials@${B.toUpperCase()}+${B2}`,
      ].join(','),
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      JWT_SECRET,
    });
    const submit = async (key: string, tenantId: string) => {
      const res = await gateway.call('/provisioning/provision', { method: 'POST', key, json: requestFor(tenantId) });
      expect(res.status).toBe(202);
      return (await res.json()).job_id as string;
    };
    jobA = await submit(KEY_A, A);
    jobB = await submit(KEY_B, B);
    jobADone = await submit(KEY_A, A3);
    jobBDone = await submit(KEY_B, B2);
    const writer = new JobWriter(db);
    for (const jobId of [jobADone, jobBDone]) {
      const failed = await writer.recordProgress({
        jobId,
        seq: 100,
        status: 'failed',
        step: 'failed',
        message: 'failed (written by the test)',
        completedSteps: 0,
        totalSteps: 1,
        kind: 'failed',
        error: { message: 'written by the test', code: 'TEST', details: {} },
      });
      expect(failed).toBe(true);
    }
  });
  afterAll(async () => {
    await gateway?.close();
    await db?.destroy();
  });

  /** The answer for a job id, with the id itself replaced, to compare "another tenant's" with "none". */
  const notFoundShape = async (res: Response, jobId: string) => ({
    status: res.status,
    body: JSON.parse((await res.text()).split(jobId).join('<job>')),
  });

  describe('submit', () => {
    it('refuses a request for a tenant outside the key, 403 naming tenant_id, and writes nothing', async () => {
      const before = await jobCount();
      const res = await gateway.call('/provisioning/provision', { method: 'POST', key: KEY_A, json: requestFor(B) });
      expect(res.status).toBe(403);
      expect((await res.json()).error).toMatchObject({
        code: 'FORBIDDEN',
        details: [{ field: 'tenant_id', reason: expect.stringMatching(/not one of the tenants/) }],
      });
      expect(await jobCount()).toBe(before);
    });

    it('accepts a tenant id in upper case for a key configured in lower case (ids are compared as UUIDs)', async () => {
      const res = await gateway.call('/provisioning/provision', {
        method: 'POST',
        key: KEY_A,
        json: requestFor(A2.toUpperCase(), { tenant_slug: `u-${A2.slice(0, 8)}` }),
      });
      expect(res.status).toBe(202);
      const { job_id } = await res.json();
      await gateway.call(`/provisioning/jobs/${job_id}/cancel`, { method: 'POST', key: KEY_A, json: {} });
    });

    it('does not name the job of another tenant behind a reused idempotency key', async () => {
      const key = `idem-${randomUUID()}`;
      const mine = await gateway.call('/provisioning/provision', {
        method: 'POST',
        key: KEY_B,
        json: requestFor(randomUUID()),
        headers: { 'idempotency-key': key },
      });
      expect(mine.status).toBe(403); // B's key may not act for a new tenant either
      const first = await gateway.call('/provisioning/provision', {
        method: 'POST',
        json: requestFor(randomUUID()),
        headers: { 'idempotency-key': key },
      });
      expect(first.status).toBe(202);
      const theirs = await gateway.call('/provisioning/provision', {
        method: 'POST',
        key: KEY_A,
        json: requestFor(A2, { tenant_slug: `i-${A2.slice(0, 8)}` }),
        headers: { 'idempotency-key': key },
      });
      expect(theirs.status).toBe(422);
      expect((await theirs.json()).error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', job_id: null });
      await gateway.call(`/provisioning/jobs/${(await first.json()).job_id}/cancel`, { method: 'POST', json: {} });
    });

    it("does not name another tenant's job that holds the slug asked for", async () => {
      const holder = requestFor(randomUUID());
      const held = await gateway.call('/provisioning/provision', { method: 'POST', json: holder });
      expect(held.status).toBe(202);
      const res = await gateway.call('/provisioning/provision', {
        method: 'POST',
        key: KEY_A,
        json: requestFor(A3, { tenant_slug: holder.tenant_slug }),
      });
      expect(res.status).toBe(409);
      expect((await res.json()).error).toMatchObject({ code: 'TENANT_SLUG_TAKEN', job_id: null, status: null });
      // The unscoped key is told which job holds it, as before.
      const unscoped = await gateway.call('/provisioning/provision', {
        method: 'POST',
        json: requestFor(randomUUID(), { tenant_slug: holder.tenant_slug }),
      });
      expect((await unscoped.json()).error).toMatchObject({ job_id: (await held.json()).job_id });
    });
  });

  describe.each([
    // Another tenant's job is jobB (queued: extend and cancel would be allowed to its own key);
    // the key's own is jobADone (failed: every action answers 409, which only a found job can).
    ['GET status', 'GET', (id: string) => `/provisioning/status/${id}`, 200],
    ['GET events', 'GET', (id: string) => `/provisioning/jobs/${id}/events`, 200],
    ['GET credentials', 'GET', (id: string) => `/provisioning/jobs/${id}/credentials`, 409],
    ['POST extend', 'POST', (id: string) => `/provisioning/jobs/${id}/extend`, 409],
    ['POST destroy', 'POST', (id: string) => `/provisioning/jobs/${id}/destroy`, 409],
  ] as const)('%s', (_name, method, path, ownStatus) => {
    const body = () =>
      path('x').endsWith('extend') ? { expires_at: new Date(Date.now() + 5 * 24 * 3600_000).toISOString() } : {};
    const call = (id: string, key: string) =>
      gateway.call(path(id), { method, key, ...(method === 'POST' ? { json: body() } : {}) });

    it("answers another tenant's job exactly like a job that does not exist (404), and changes nothing", async () => {
      const before = await auditCount(jobB);
      const other = await notFoundShape(await call(jobB, KEY_A), jobB);
      const none = randomUUID();
      const missing = await notFoundShape(await call(none, KEY_A), none);
      expect(other).toEqual(missing);
      expect(other.status).toBe(404);
      expect(other.body.error.code).toBe('JOB_NOT_FOUND');
      expect(await auditCount(jobB)).toBe(before);
      const [row] = await db.query('SELECT status FROM provisioning_jobs WHERE job_id = $1', [jobB]);
      expect(row.status).toBe('queued');
    });

    it(`finds the key's own job (${ownStatus}), and the unscoped key finds both`, async () => {
      expect((await call(jobADone, KEY_A)).status).toBe(ownStatus);
      expect((await call(jobBDone, KEY_B)).status).toBe(ownStatus);
      expect((await call(jobADone, KEYS.all)).status).toBe(ownStatus);
      expect((await call(jobBDone, KEYS.all)).status).toBe(ownStatus);
    });
  });

  describe('list', () => {
    const tenantsListed = async (key: string, query = '') => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const q: string = `limit=1${query}${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await gateway.call(`/provisioning/jobs?${q}`, { key });
        expect(res.status).toBe(200);
        const page: ApiBody = await res.json();
        seen.push(...page.jobs.map((j: { tenant_id: string }) => j.tenant_id));
        cursor = page.next_cursor;
      } while (cursor);
      return [...new Set(seen)].sort();
    };

    it("holds only the key's tenants, on every page", async () => {
      expect(await tenantsListed(KEY_A)).toEqual([A, A2, A3].sort());
      expect(await tenantsListed(KEY_B)).toEqual([B, B2].sort());
    });

    it("is empty when filtered to another tenant, so that it cannot count another tenant's jobs", async () => {
      expect(await tenantsListed(KEY_A, `&tenant_id=${B}`)).toEqual([]);
      expect(await tenantsListed(KEY_A, `&tenant_id=${A}`)).toEqual([A]);
    });

    it("does not resume from a cursor into another tenant's jobs", async () => {
      const page: ApiBody = await (await gateway.call(`/provisioning/jobs?limit=1&tenant_id=${B}`)).json();
      const cursor = Buffer.from(JSON.stringify([new Date(Date.now() + 60_000).toISOString(), jobB])).toString(
        'base64url',
      );
      expect(page.jobs.map((j: { job_id: string }) => j.job_id)).toEqual([jobB]);
      const res: ApiBody = await (await gateway.call(`/provisioning/jobs?cursor=${cursor}`, { key: KEY_A })).json();
      expect(res.jobs.length).toBeGreaterThan(0);
      expect(res.jobs.every((j: { tenant_id: string }) => [A, A2, A3].includes(j.tenant_id))).toBe(true);
    });

    it('shows every tenant to the unscoped key', async () => {
      expect(await tenantsListed(KEYS.all)).toEqual(expect.arrayContaining([A, A2, A3, B, B2]));
    });
  });

  describe('a service JWT with a tenants claim', () => {
    it('is limited to the tenants it names, like a scoped key', async () => {
      const token = await serviceToken({ tenants: [B, B2] });
      expect((await gateway.call(`/provisioning/status/${jobB}`, { key: token })).status).toBe(200);
      expect((await gateway.call(`/provisioning/status/${jobA}`, { key: token })).status).toBe(404);
      const list: ApiBody = await (await gateway.call('/provisioning/jobs', { key: token })).json();
      expect([...new Set(list.jobs.map((j: { tenant_id: string }) => j.tenant_id))].sort()).toEqual([B, B2].sort());
      const submit = await gateway.call('/provisioning/provision', { method: 'POST', key: token, json: requestFor(A) });
      expect(submit.status).toBe(403);
    });

    it('is refused (401) when its tenants claim is not a list of tenant ids, never read as every tenant', async () => {
      const res = await gateway.call(`/provisioning/status/${jobA}`, { key: await serviceToken({ tenants: 'all' }) });
      expect(res.status).toBe(401);
      expect((await res.json()).error.message).toMatch(/"tenants" claim/);
    });
  });

  it('refuses a tenant-scoped key at the codec (a payload does not say whose it is); the unscoped key may use it', async () => {
    const payloads = { payloads: [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: '' }] };
    const scoped = await gateway.call('/codec/encode', { method: 'POST', key: KEY_A, json: payloads });
    expect(scoped.status).toBe(403);
    expect((await gateway.call('/codec/encode', { method: 'POST', json: payloads })).status).toBe(200);
  });

  it("cancels the key's own job, and answers 404 for another tenant's (which stays queued)", async () => {
    const refused = await gateway.call(`/provisioning/jobs/${jobB}/cancel`, { method: 'POST', key: KEY_A, json: {} });
    expect(refused.status).toBe(404);
    expect(await auditCount(jobB)).toBe(0);
    const accepted = await gateway.call(`/provisioning/jobs/${jobA}/cancel`, { method: 'POST', key: KEY_A, json: {} });
    expect(accepted.status).toBe(202);
    expect(await auditCount(jobA)).toBe(1);
    const [row] = await db.query('SELECT status FROM provisioning_jobs WHERE job_id = $1', [jobB]);
    expect(row.status).toBe('queued');
  });
});

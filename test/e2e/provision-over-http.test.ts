import type { NestExpressApplication } from '@nestjs/platform-express';
import { Client, Connection } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { KEYS, startGateway, type TestGateway } from '../support/gateway';
import { aProvisionRequest } from '../support/requests';
import { testEnv } from '../support/test-env';
import {
  eventually,
  liveResources,
  openDatabase,
  realActivityDeps,
  startWorker,
  testFolders,
  type RunningWorker,
} from '../support/test-stack';

const API_KEY = KEYS.all;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are asserted field by field
type ApiBody = any;
const jsonOf = (res: Response): Promise<ApiBody> => res.json();
const TASK_QUEUE = 'e2e';

// HTTP in, tofu out: the real gateway on a real port, a real worker, Temporal, Postgres, tofu.
describe('provisioning over HTTP', () => {
  let gateway: TestGateway;
  let app: NestExpressApplication;
  let worker: RunningWorker;
  let db: DataSource;
  let base: string;
  // A client without the payload codec sees what the Temporal server stores.
  let rawTemporal: Client;

  beforeAll(async () => {
    db = await openDatabase();
    gateway = await startGateway(TASK_QUEUE);
    app = gateway.app;
    base = gateway.base;
    worker = await startWorker(TASK_QUEUE, realActivityDeps(db, TASK_QUEUE));
    rawTemporal = new Client({ connection: await Connection.connect({ address: testEnv('temporalAddress') }) });
  });

  afterAll(async () => {
    await rawTemporal?.connection.close();
    await worker?.stop();
    await app?.close();
    await db?.destroy();
  });

  const call = (path: string, init: RequestInit & { key?: string | null } = {}) =>
    fetch(`${base}${path}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...(init.key === null ? {} : { authorization: `Bearer ${init.key ?? API_KEY}` }),
        ...(init.headers as Record<string, string> | undefined),
      },
    });
  const jobCount = async () => Number((await db.query('SELECT count(*) AS n FROM provisioning_jobs'))[0].n);

  it('reports health publicly with real database and worker checks', async () => {
    // Until the worker's first poll reaches the server the gateway honestly says "degraded".
    const body = await eventually(
      async () => jsonOf(await call('/health', { key: null })),
      (b: ApiBody) => b.status === 'healthy',
      15_000,
    );
    expect(body).toMatchObject({
      database: 'connected',
      queue: 'healthy',
      checks: { database: { status: 'up' }, temporal: { status: 'up', task_queue: TASK_QUEUE } },
    });
    expect(body.workers).toBeGreaterThanOrEqual(1);
    expect(typeof body.version).toBe('string');
    expect((await call('/health', { key: null })).status).toBe(200);
  });

  it.each([
    ['no key', {}],
    ['a wrong bearer key', { authorization: 'Bearer not-a-valid-key-at-all' }],
    ['a wrong X-API-Key', { 'x-api-key': 'not-a-valid-key-at-all' }],
  ])('answers 401 to a request with %s and writes nothing', async (_what, headers) => {
    const before = await jobCount();
    const res = await call('/provisioning/provision', {
      method: 'POST',
      key: null,
      headers,
      body: JSON.stringify(aProvisionRequest()),
    });
    expect(res.status).toBe(401);
    expect(await jsonOf(res)).toMatchObject({ success: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await jobCount()).toBe(before);
  });

  it('accepts X-API-Key as well as a bearer token', async () => {
    const res = await call('/provisioning/status/00000000-0000-4000-8000-000000000000', {
      key: null,
      headers: { 'x-api-key': API_KEY },
    });
    expect(res.status).toBe(404);
  });

  it('rejects a malformed request with 400 naming each bad field, and writes nothing', async () => {
    const before = await jobCount();
    const bad = { ...aProvisionRequest(), tenant_slug: 'Not_A_Label', surprise: true };
    bad.poc_config = { ...bad.poc_config, poc_tier: 'gold' as never };
    const res = await call('/provisioning/provision', { method: 'POST', body: JSON.stringify(bad) });
    expect(res.status).toBe(400);
    const body = await jsonOf(res);
    expect(body.success).toBe(false);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    const fields = body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['tenant_slug', 'poc_config.poc_tier', 'surprise']));
    expect(await jobCount()).toBe(before);
  });

  it('rejects an expiry beyond the tier maximum lifetime with 400, and writes nothing', async () => {
    const before = await jobCount();
    const res = await call('/provisioning/provision', {
      method: 'POST',
      body: JSON.stringify(aProvisionRequest({ expiresInMs: 40 * 24 * 3600_000, tier: 'standard' })),
    });
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).error.details).toEqual([
      { field: 'poc_config.expires_at', reason: expect.stringMatching(/at most 30 days/) },
    ]);
    expect(await jobCount()).toBe(before);
  });

  it('answers 400 in the error shape to a body that is not JSON', async () => {
    const res = await call('/provisioning/provision', { method: 'POST', body: '{"tenant_id": ' });
    expect(res.status).toBe(400);
    expect(await jsonOf(res)).toMatchObject({ success: false, error: { code: 'BAD_REQUEST' } });
  });

  it('answers 404 for the credentials of an unknown job', async () => {
    const res = await call('/provisioning/jobs/6f1e2d3c-4b5a-4978-8877-665544332211/credentials');
    expect(res.status).toBe(404);
  });

  it('answers 400 to a malformed job id and 404 to an unknown one', async () => {
    const malformed = await call('/provisioning/status/not-a-uuid');
    expect(malformed.status).toBe(400);
    expect((await jsonOf(malformed)).error.details).toEqual([{ field: 'job_id', reason: 'must be a UUID' }]);
    const unknown = await call('/provisioning/status/6f1e2d3c-4b5a-4978-8877-665544332211');
    expect(unknown.status).toBe(404);
    expect((await jsonOf(unknown)).error.code).toBe('JOB_NOT_FOUND');
  });

  it('provisions an environment from a request to status completed with resources and endpoints', async () => {
    const request = aProvisionRequest({ tier: 'professional' });
    const res = await call('/provisioning/provision', { method: 'POST', body: JSON.stringify(request) });
    expect(res.status).toBe(202);
    const accepted = await jsonOf(res);
    // The tier's typical time, or the median observed one once other tests have finished some.
    expect(accepted).toMatchObject({
      success: true,
      status: 'queued',
      message: 'Provisioning job queued successfully',
      estimated_duration: expect.stringMatching(/^(\d+h)?(\d+m)?\d+s$/),
    });
    expect(accepted.progress_tracking_url).toBe(`/api/v1/provisioning/status/${accepted.job_id}`);

    const status = await eventually(
      async () => jsonOf(await call(`/provisioning/status/${accepted.job_id}`)),
      (s: ApiBody) => s.status === 'completed' || s.status === 'failed',
    );
    expect(status).toMatchObject({
      success: true,
      job_id: accepted.job_id,
      status: 'completed',
      progress_percent: 100,
      current_step: 'waiting_for_expiry',
      plan_summary: { add: 3, change: 0, destroy: 0 },
    });
    expect(status.provisioned_resources).toEqual({
      gke_cluster: status.resources.gke_cluster.name,
      database_instance: status.resources.database_instance.name,
      vpc_network: status.resources.vpc_network.name,
    });
    expect(status.resources.gke_cluster).toMatchObject({ node_count: 2, machine_type: 'e2-standard-4' });
    expect(status.service_endpoints).toEqual({
      api_endpoint: `https://api.${request.tenant_slug}.local.poc`,
      web_interface: `https://app.${request.tenant_slug}.local.poc`,
      monitoring_dashboard: `https://monitoring.${request.tenant_slug}.local.poc`,
    });
    expect(status).toMatchObject({ error_message: null, error_details: null });
    expect(liveResources(testFolders(TASK_QUEUE).environmentRoot, request.tenant_slug)).toHaveLength(3);

    // Credentials: only from their own endpoint, never in status, at rest or in Temporal.
    const creds = await call(`/provisioning/jobs/${accepted.job_id}/credentials`);
    expect(creds.status).toBe(200);
    expect(creds.headers.get('cache-control')).toBe('no-store');
    const { credentials } = await jsonOf(creds);
    expect(credentials).toMatchObject({ username: `${request.tenant_slug}-admin` });
    expect(credentials.password).toMatch(/^[\w-]{32}$/);
    expect(JSON.stringify(status)).not.toContain(credentials.password);
    const [row] = await db.query('SELECT access_credentials FROM provisioning_jobs WHERE job_id = $1', [
      accepted.job_id,
    ]);
    expect(row.access_credentials).not.toContain(credentials.password);
    const rawHistory = await rawTemporal.workflow.getHandle(`poc-${request.tenant_id}`).fetchHistory();
    const historyText = JSON.stringify(rawHistory, (_k, v: unknown) =>
      v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v,
    );
    expect(historyText).not.toContain(credentials.password);
    expect(historyText).not.toContain(request.company_info.contact_email);

    // The tenant's environment is live: a second request is refused and names the job.
    const again = await call('/provisioning/provision', { method: 'POST', body: JSON.stringify(request) });
    expect(again.status).toBe(409);
    expect(await jsonOf(again)).toMatchObject({
      success: false,
      error: { code: 'ENVIRONMENT_ALREADY_ACTIVE', job_id: accepted.job_id },
    });
  });
});

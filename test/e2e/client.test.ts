import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import {
  convertSignupToProvisioningRequest,
  PocProvisioningClient,
  ProvisioningApiError,
  ProvisioningNetworkError,
  provisioningRequestFromSignup,
  WaitDeadlineExceededError,
  type SignupForm,
} from '../../clients/typescript/src';
import { freePort } from '../../scripts/stack/free-port';
import { KEYS, type TestGateway } from '../support/gateway';
import { startEngine, type RunningEngine } from '../support/engine';

const TASK_QUEUE = 'client';
let n = 0;
const signup = (over: Partial<SignupForm> = {}): SignupForm => ({
  companyName: `Client Test ${Date.now()} ${(n += 1)}`,
  contactEmail: 'poc@client.test',
  plan: 'trial',
  region: 'eu',
  trialDays: 7,
  ...over,
});

/**
 * A real proxy in front of the real API whose first `drops` answers are lost: the request
 * reaches the API, the caller gets a 503 instead. What a flaky load balancer does.
 */
async function lossyProxy(target: string, drops: number): Promise<{ url: string; server: Server; seen: () => number }> {
  let seen = 0;
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    seen += 1;
    const lose = seen <= drops;
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        if (lose) {
          answer.resume();
          answer.on('end', () => res.writeHead(503, { 'content-type': 'application/json' }).end('{}'));
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(forward);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, seen: () => seen };
}

// The TypeScript client (clients/typescript, generated from docs/openapi.json) against the real
// running API (gateway, worker, Temporal, Postgres, tofu).
describe('PocProvisioningClient', () => {
  let engine: RunningEngine;
  let gateway: TestGateway;
  let db: DataSource;
  let client: PocProvisioningClient;
  let origin: string;

  beforeAll(async () => {
    engine = await startEngine(TASK_QUEUE);
    ({ gateway, db } = engine);
    origin = gateway.base.replace(/\/api\/v1$/, '');
    client = new PocProvisioningClient({ baseUrl: origin, apiKey: KEYS.all });
  });
  afterAll(() => engine?.stop());

  it('turns a signup into an environment: submit, wait, credentials, extend, destroy', async () => {
    // The seed's conversion; no features given, so the tier's default (the seed's) features go.
    const tenantId = randomUUID();
    const request = convertSignupToProvisioningRequest(
      {
        company_name: `Seed Signup ${tenantId}`,
        contact_email: 'poc@client.test',
        poc_tier: 'standard',
        poc_duration_days: 7,
        data_residency_region: 'eu',
      },
      tenantId,
      `seed-signup-${tenantId.slice(0, 8)}`,
    );
    expect(await client.health()).toHaveProperty('status');
    const accepted = await client.submit(request);
    const seen: string[] = [];
    const ready = await client.waitForCompletion(accepted.job_id, {
      intervalMs: 200,
      onProgress: (s) => seen.push(s.status),
    });
    expect(ready).toMatchObject({ status: 'completed', progress_percent: 100, actions: { can_destroy: true } });
    expect(seen.length).toBeGreaterThan(0);
    expect((await client.credentials(accepted.job_id)).credentials.username).toMatch(/-admin$/);

    const later = new Date(Date.now() + 20 * 24 * 3600_000);
    expect((await client.extend(accepted.job_id, later)).expires_at).toBe(later.toISOString());
    await client.destroy(accepted.job_id, 'signup cancelled');
    expect((await client.waitForStatus(accepted.job_id, ['destroyed'], { intervalMs: 200 })).status).toBe('destroyed');
    const steps = (await client.events(accepted.job_id)).map((e) => e.step);
    expect(steps).toContain('tofu_destroy');
  });

  it('throws typed errors: the field of a bad request, the live job of a tenant', async () => {
    const bad = provisioningRequestFromSignup(signup());
    bad.tenant_slug = 'Not A Label';
    const invalid = await client.submit(bad).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ProvisioningApiError);
    expect(invalid).toMatchObject({ httpStatus: 400, code: 'VALIDATION_FAILED', details: [{ field: 'tenant_slug' }] });

    const request = provisioningRequestFromSignup(signup());
    const first = await client.submit(request);
    const again = await client.submit({ ...request, priority: 'low' }).catch((e: unknown) => e);
    expect(again).toMatchObject({
      httpStatus: 409,
      code: 'ENVIRONMENT_ALREADY_ACTIVE',
      context: { job_id: first.job_id },
    });
  });

  it('retries a submit whose answers were lost, under one idempotency key, making one job', async () => {
    const proxy = await lossyProxy(origin, 2);
    try {
      const flaky = new PocProvisioningClient({ baseUrl: proxy.url, apiKey: KEYS.all, retries: 4 });
      const request = provisioningRequestFromSignup(signup());
      const accepted = await flaky.submit(request);
      expect(proxy.seen()).toBe(3);
      const rows = await db.query('SELECT job_id FROM provisioning_jobs WHERE tenant_id = $1', [request.tenant_id]);
      expect(rows).toEqual([{ job_id: accepted.job_id }]);
    } finally {
      proxy.server.close();
    }
  });

  it('pages through every job of a filter', async () => {
    const tenantJobs = new Set<string>();
    for (let i = 0; i < 3; i += 1) {
      tenantJobs.add((await client.submit(provisioningRequestFromSignup(signup({ plan: 'enterprise' })))).job_id);
    }
    const listed: string[] = [];
    for await (const job of client.listAll({ tier: 'enterprise', limit: 2 })) listed.push(String(job.job_id));
    expect(listed.filter((id) => tenantJobs.has(id))).toHaveLength(3);
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('reports an unreachable API as a network error, and a wait past its deadline as such', async () => {
    const nowhere = new PocProvisioningClient({
      baseUrl: `http://127.0.0.1:${await freePort()}`,
      apiKey: KEYS.all,
      retries: 1,
    });
    await expect(nowhere.getStatus('00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(
      ProvisioningNetworkError,
    );

    const { job_id } = await client.submit(provisioningRequestFromSignup(signup()));
    const late = await client.waitForStatus(job_id, ['destroyed'], { timeoutMs: 300, intervalMs: 100 }).catch((e) => e);
    expect(late).toBeInstanceOf(WaitDeadlineExceededError);
    expect(late).toMatchObject({ jobId: job_id });
  });
});

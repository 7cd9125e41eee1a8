import { ProvisioningApiError, ProvisioningNetworkError, WaitDeadlineExceededError } from './client-errors';
import { PocProvisioningClient } from './poc-provisioning-client';
import { convertSignupToProvisioningRequest } from './signup-form';

// The hand-written layer over the generated client, with an in-memory fetch standing in for
// the engine (no I/O); test/e2e/client.test.ts runs it against the real API.

type Seen = { method: string; url: string; key: string | null; auth: string | null; body: string };

function fakeEngine(answers: Array<(req: Request) => Response | Promise<Response>>) {
  const seen: Seen[] = [];
  const fetch = async (req: Request): Promise<Response> => {
    seen.push({
      method: req.method,
      url: req.url,
      key: req.headers.get('idempotency-key'),
      auth: req.headers.get('authorization'),
      body: await req.text(),
    });
    return answers[Math.min(seen.length - 1, answers.length - 1)](req);
  };
  return { seen, fetch };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const JOB = '123e4567-e89b-12d3-a456-426614174000';
const accepted = {
  success: true,
  message: 'queued',
  job_id: JOB,
  status: 'queued',
  estimated_duration: '30m0s',
  progress_tracking_url: `/api/v1/provisioning/status/${JOB}`,
};
const status = (s: string) => ({
  success: true,
  job_id: JOB,
  status: s,
  progress_percent: 10,
  expires_at: '2030-01-01T00:00:00Z',
  actions: { can_cancel: true, can_extend: true, can_destroy: false },
});
const request = () =>
  convertSignupToProvisioningRequest({ company_name: 'ACME' }, '550e8400-e29b-41d4-a716-446655440000', 'acme');
const client = (fetch: (req: Request) => Promise<Response>) =>
  new PocProvisioningClient({
    baseUrl: 'http://engine.test/',
    apiKey: 'k-1',
    retries: 3,
    backoff: { baseDelayMs: 1, maxDelayMs: 2 },
    fetch,
  });

describe('PocProvisioningClient (over an in-memory engine)', () => {
  it('retries a submit whose answers were lost with the same body and idempotency key', async () => {
    const engine = fakeEngine([() => json(503, {}), () => json(502, {}), () => json(202, accepted)]);
    const answer = await client(engine.fetch).submit(request());
    expect(answer).toEqual(accepted);
    expect(engine.seen).toHaveLength(3);
    expect(new Set(engine.seen.map((s) => `${s.method} ${s.url} ${s.key} ${s.auth} ${s.body}`)).size).toBe(1);
    expect(engine.seen[0]).toMatchObject({
      method: 'POST',
      url: 'http://engine.test/api/v1/provisioning/provision',
      auth: 'Bearer k-1',
    });
  });

  it("sends the caller's key, else the request_id, as the idempotency key", async () => {
    const engine = fakeEngine([() => json(202, accepted)]);
    const req = request();
    await client(engine.fetch).submit(req, { idempotencyKey: 'caller-key' });
    await client(engine.fetch).submit(req);
    expect(engine.seen.map((s) => s.key)).toEqual(['caller-key', req.request_id]);
  });

  it('throws a typed error for an error answer, without retrying a 4xx', async () => {
    const engine = fakeEngine([
      () =>
        json(409, {
          success: false,
          error: { code: 'ENVIRONMENT_ALREADY_ACTIVE', message: 'live', details: [], job_id: 'j-1' },
        }),
    ]);
    const err = await client(engine.fetch)
      .submit(request())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProvisioningApiError);
    expect(err).toMatchObject({ httpStatus: 409, code: 'ENVIRONMENT_ALREADY_ACTIVE', context: { job_id: 'j-1' } });
    expect(engine.seen).toHaveLength(1);
  });

  it('reports a failure that outlives the retries: a network error, or the last 5xx', async () => {
    const down = fakeEngine([
      () => {
        throw new TypeError('fetch failed');
      },
    ]);
    await expect(client(down.fetch).getStatus(JOB)).rejects.toBeInstanceOf(ProvisioningNetworkError);
    expect(down.seen).toHaveLength(4);

    const failing = fakeEngine([() => new Response('<html>bad gateway</html>', { status: 502 })]);
    await expect(client(failing.fetch).getStatus(JOB)).rejects.toMatchObject({ httpStatus: 502, code: 'HTTP_502' });
  });

  it('waits, polling, until the job settles, and reports every status seen', async () => {
    const engine = fakeEngine([
      () => json(200, status('queued')),
      () => json(200, status('provisioning')),
      () => json(200, status('completed')),
    ]);
    const seen: string[] = [];
    const done = await client(engine.fetch).waitForCompletion(JOB, {
      intervalMs: 1,
      onProgress: (s) => seen.push(s.status),
    });
    expect(done.status).toBe('completed');
    expect(seen).toEqual(['queued', 'provisioning', 'completed']);
    expect(engine.seen[0].url).toBe(`http://engine.test/api/v1/provisioning/status/${JOB}`);
  });

  it('gives up a wait at its deadline, naming the job and its last status', async () => {
    const engine = fakeEngine([() => json(200, status('provisioning'))]);
    const err = await client(engine.fetch)
      .waitForCompletion(JOB, { timeoutMs: 20, intervalMs: 5 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitDeadlineExceededError);
    expect(err).toMatchObject({ jobId: JOB, last: { status: 'provisioning' } });
  });

  it('reads the health answer', async () => {
    const engine = fakeEngine([() => json(200, { status: 'healthy', database: 'connected', workers: 5 })]);
    expect(await client(engine.fetch).health()).toEqual({ status: 'healthy', database: 'connected', workers: 5 });
    expect(engine.seen[0].url).toBe('http://engine.test/api/v1/health');
  });

  it('pages through every job, sending several statuses comma-separated', async () => {
    const page = (ids: string[], next: string | null) =>
      json(200, { success: true, jobs: ids.map((job_id) => ({ job_id })), next_cursor: next });
    const engine = fakeEngine([() => page(['a', 'b'], 'c1'), () => page(['c'], null)]);
    const ids: string[] = [];
    for await (const job of client(engine.fetch).listAll({ status: ['queued', 'provisioning'], limit: 2 })) {
      ids.push(job.job_id);
    }
    expect(ids).toEqual(['a', 'b', 'c']);
    expect(decodeURIComponent(engine.seen[0].url)).toBe(
      'http://engine.test/api/v1/provisioning/jobs?status=queued,provisioning&limit=2',
    );
    expect(engine.seen[1].url).toContain('cursor=c1');
  });
});

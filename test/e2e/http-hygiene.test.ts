import { aProvisionRequest } from '../support/requests';
import { startGateway, type TestGateway } from '../support/gateway';
import { eventually } from '../support/test-stack';

/** The longest log line any of these requests may cause; far below the 60 KB inputs sent. */
const LOG_LINE_BOUND = 8 * 1024;

// A real gateway over HTTP with its log lines captured (no worker: every request here is refused
// or answered by the gateway alone).
describe("the gateway's small doors", () => {
  let gateway: TestGateway;
  const lines: string[] = [];

  beforeAll(async () => {
    gateway = await startGateway('http-hygiene', {}, { logLines: lines });
  });
  afterAll(() => gateway.close());

  it('answers without an X-Powered-By header, on a route and off one', async () => {
    const known = await gateway.call('/provisioning/status/00000000-0000-4000-8000-000000000000');
    const unknown = await gateway.call('/no-such-route');
    expect([known.status, unknown.status]).toEqual([404, 404]);
    expect(known.headers.get('x-powered-by')).toBeNull();
    expect(unknown.headers.get('x-powered-by')).toBeNull();
  });

  it('answers 400 to a body that is not JSON, naming the body and the reason and echoing none of it', async () => {
    const res = await gateway.call('/provisioning/provision', {
      method: 'POST',
      body: '{"tenant_slug": "marker-of-the-caller-input", oops',
    });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).not.toContain('marker-of-the-caller-input');
    expect(text).not.toContain('oops');
    expect(JSON.parse(text).error.details).toEqual([{ field: 'body', reason: 'is not valid JSON' }]);
  });

  it('keeps every log line of a request with a 60 KB slug and a long path under the bound', async () => {
    const before = lines.length;
    const slug = 'a'.repeat(60_000);
    const res = await gateway.call('/provisioning/provision', {
      method: 'POST',
      json: { ...aProvisionRequest(), tenant_slug: slug },
    });
    expect(res.status).toBe(400);
    await gateway.call(`/provisioning/status/${'b'.repeat(12_000)}`);
    const written = lines.slice(before);
    expect(written.length).toBeGreaterThan(0);
    expect(written.map((l) => l.length).filter((length) => length > LOG_LINE_BOUND)).toEqual([]);
    expect(written.some((l) => l.includes('a'.repeat(1_000)))).toBe(false);
  });

  it('writes the request id once per log line, also on the line that adds the job id', async () => {
    const before = lines.length;
    const res = await gateway.call('/provisioning/status/00000000-0000-4000-8000-000000000000', {
      headers: { 'x-request-id': 'hygiene-request-1' },
    });
    expect(res.headers.get('x-request-id')).toBe('hygiene-request-1');
    const written = lines.slice(before).filter((l) => l.includes('hygiene-request-1'));
    expect(written.length).toBeGreaterThan(0);
    for (const line of written) expect(line.match(/"request_id"/g)).toHaveLength(1);
  });

  it('writes no request line for a successful read, and keeps the line of a refused one', async () => {
    const before = lines.length;
    const ok = await gateway.call('/provisioning/jobs?limit=1', { headers: { 'x-request-id': 'hygiene-read-ok' } });
    expect(ok.status).toBe(200);
    const missing = await gateway.call('/provisioning/status/00000000-0000-4000-8000-000000000001', {
      headers: { 'x-request-id': 'hygiene-read-404' },
    });
    expect(missing.status).toBe(404);
    const written = () => lines.slice(before);
    // The refused read's line is written when its response finishes: wait for it, then look.
    await eventually(
      () => Promise.resolve(written().filter((l) => l.includes('hygiene-read-404'))),
      (found) => found.some((l) => l.includes('request completed') || l.includes('request errored')),
    );
    expect(written().filter((l) => l.includes('hygiene-read-ok'))).toEqual([]);
  });
});

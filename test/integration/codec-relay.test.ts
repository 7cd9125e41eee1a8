import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startCodecRelay, type CodecRelay } from '../../scripts/stack/codec-relay';

// The dev stack's codec relay (scripts/stack/codec-relay.ts) in front of a stand-in codec server
// that echoes what reached it: the relay's own rules are under test, not the gateway's codec.

const KEY = 'relay-test-key-0123456789';
let upstream: Server;
let relay: CodecRelay;
const seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"payloads":[]}'));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const { port } = upstream.address() as AddressInfo;
  relay = await startCodecRelay({ host: '127.0.0.1', target: `http://127.0.0.1:${port}/api/v1/codec`, apiKey: KEY });
});

afterAll(async () => {
  await relay.close();
  await new Promise((resolve) => upstream.close(resolve));
});

/** POSTs to the relay with the Host header given (as a browser on a rebound name would send it). */
function post(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const url = new URL(relay.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname: url.hostname,
        port: url.port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end('{"payloads":[]}');
  });
}

describe('the dev stack codec relay', () => {
  it('relays a decode from its own host name with its key, dropping the credentials the caller sent', async () => {
    const before = seen.length;
    const answer = await post('/decode', { host: new URL(relay.url).host, authorization: 'Bearer caller-token' });
    expect(answer.status).toBe(200);
    expect(seen.length).toBe(before + 1);
    expect(seen[seen.length - 1]['x-api-key']).toBe(KEY);
    expect(seen[seen.length - 1].authorization).toBeUndefined();
  });

  it('refuses a request whose Host is another name (DNS rebinding), relaying nothing', async () => {
    const before = seen.length;
    const port = new URL(relay.url).port;
    const answer = await post('/decode', { host: `evil.example:${port}`, origin: `http://evil.example:${port}` });
    expect(answer.status).toBe(403);
    expect(seen.length).toBe(before);
  });

  it('relays nothing but encode and decode', async () => {
    const before = seen.length;
    expect((await post('/api/v1/provisioning/jobs', { host: new URL(relay.url).host })).status).toBe(404);
    expect(seen.length).toBe(before);
  });
});

import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running codec relay: the codec endpoint to give the Web UI. */
export interface CodecRelay {
  /** e.g. http://127.0.0.1:40123 (the UI appends /decode and /encode). */
  url: string;
  close(): Promise<void>;
}

/** Headers of the UI's codec calls and CORS preflights that the gateway needs; no credentials. */
const FORWARDED = [
  'content-type',
  'content-length',
  'origin',
  'x-namespace',
  'access-control-request-method',
  'access-control-request-headers',
];

/**
 * The dev stack's Web UI's way to the gateway's codec endpoints, which take credentials like
 * the API. The UI cannot be given an API key: it sends only its OIDC login's access token
 * (codec.passAccessToken, to an https endpoint) or the browser's cookies (includeCredentials),
 * and the dev server offers neither (only --ui-codec-endpoint). So the launcher, which holds the
 * dev key, relays the UI's encode/decode calls and adds the key (`X-API-Key`); whatever
 * credentials the caller sent are dropped. It listens on `host` (loopback unless the dev stack
 * is widened): whoever reaches it sees decoded payloads, exactly as whoever reaches the UI does.
 */
export async function startCodecRelay(opts: {
  host: string;
  /** The gateway's codec base, e.g. http://127.0.0.1:8081/api/v1/codec. */
  target: string;
  /** An API key with the credentials scope. */
  apiKey: string;
  /** 0: any free port. */
  port?: number;
  /** Host name the UI's browser uses for the relay (default: `host`, or localhost for a wildcard). */
  publicHost?: string;
}): Promise<CodecRelay> {
  const target = new URL(opts.target.replace(/\/$/, ''));
  // Filled once listening: the Host headers a browser on this machine sends to the relay.
  let allowedHosts: Set<string> | undefined;
  const server = createServer((req, res) => {
    // A page on another site could reach a loopback relay through DNS rebinding (its own name
    // resolved to 127.0.0.1): its requests carry that name in Host, so only the relay's own
    // names are served. A widened relay (DEV_BIND_HOST) is reachable by address anyway.
    if (allowedHosts && !allowedHosts.has((req.headers.host ?? '').toLowerCase())) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('the relay answers only to its own host names\n');
      return;
    }
    const path = /^\/(encode|decode)(\?.*)?$/.exec(req.url ?? '');
    if (!path || (req.method !== 'POST' && req.method !== 'OPTIONS')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only POST /encode and /decode are relayed\n');
      return;
    }
    const headers: IncomingHttpHeaders = { 'x-api-key': opts.apiKey };
    for (const name of FORWARDED) if (req.headers[name] !== undefined) headers[name] = req.headers[name];
    const upstream = request(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: `${target.pathname}/${path[1]}${path[2] ?? ''}`,
        headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('the gateway does not answer\n');
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host =
    opts.publicHost ?? (isWildcard(opts.host) ? 'localhost' : opts.host.includes(':') ? `[${opts.host}]` : opts.host);
  if (!isWildcard(opts.host)) {
    allowedHosts = new Set(
      [host, 'localhost', '127.0.0.1', '[::1]', opts.host.includes(':') ? `[${opts.host}]` : opts.host].map(
        (h) => `${h.toLowerCase()}:${port}`,
      ),
    );
  }
  return {
    url: `http://${host}:${port}`,
    // Open keep-alive connections of a browser would hold close() back: they are cut.
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Whether an address listens on every interface. */
export function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

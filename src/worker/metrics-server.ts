import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

const SDK_SCRAPE_TIMEOUT_MS = 2000;

/** Whether the worker takes tasks now; `reason` says why not (no secret, no caller input). */
export interface WorkerReadiness {
  ready: boolean;
  reason?: string;
}

/**
 * The worker's scrape endpoint (GET /metrics): the engine's own metrics followed by the
 * Temporal SDK's (its exporter listens on loopback), so Prometheus scrapes one port per pod;
 * GET /health/live for the pod's liveness probe, and GET /health/ready for its readiness
 * probe (200 while `readiness` says ready, else 503).
 */
export class MetricsServer {
  private server?: Server;

  constructor(
    private readonly registry: Registry,
    private readonly sdkMetricsUrl: string | null,
    private readonly readiness: () => WorkerReadiness = () => ({ ready: false, reason: 'no readiness source' }),
  ) {}

  /** Listens on `port` (0: any free port); resolves with the port. */
  async listen(port: number, host = '0.0.0.0'): Promise<number> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      // Kubernetes liveness of the worker pod: the process (and its event loop) answers.
      if (req.method === 'GET' && path === '/health/live') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
        return;
      }
      // Kubernetes readiness: the Temporal workers run (they poll); not before start, not while draining.
      if (req.method === 'GET' && path === '/health/ready') {
        const readiness = this.readiness();
        res
          .writeHead(readiness.ready ? 200 : 503, { 'content-type': 'application/json' })
          .end(JSON.stringify({ status: readiness.ready ? 'ready' : 'not_ready', ...readiness }));
        return;
      }
      if (req.method !== 'GET' || path !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      this.render().then(
        (body) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(body),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server?.listening) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async render(): Promise<string> {
    const own = await this.registry.metrics();
    if (!this.sdkMetricsUrl) return own;
    try {
      const res = await fetch(this.sdkMetricsUrl, { signal: AbortSignal.timeout(SDK_SCRAPE_TIMEOUT_MS) });
      return `${own}\n${await res.text()}`;
    } catch (err) {
      // The engine's metrics are still worth serving; the gap is visible in the output.
      return `${own}\n# Temporal SDK metrics unavailable: ${(err as Error).message}\n`;
    }
  }
}

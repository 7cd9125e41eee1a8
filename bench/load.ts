import { Agent, request } from 'node:http';

/** What one load run measured. */
export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** One HTTP call: its status and body (read whole), or a thrown network error. */
export function call(
  agent: Agent,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/**
 * Closed-loop load: `connections` keep-alive connections, each sending its next request as soon
 * as the previous one is answered, for `seconds`. Every latency is kept, so percentiles are exact.
 */
export async function closedLoop(
  url: string,
  opts: { connections: number; seconds: number; headers?: Record<string, string> },
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.connections });
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const until = started + opts.seconds * 1000;
  const loop = async () => {
    while (performance.now() < until) {
      const t0 = performance.now();
      try {
        const res = await call(agent, url, { headers: opts.headers });
        if (res.status !== 200) errors += 1;
      } catch {
        errors += 1;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: opts.connections }, loop));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return summarize(latencies, errors, seconds);
}

/** `count` requests sent at once (one connection each); latencies from the burst's start. */
export async function burst(
  count: number,
  send: (agent: Agent, i: number) => Promise<{ status: number; body: string }>,
): Promise<LoadResult & { bodies: string[] }> {
  const agent = new Agent({ keepAlive: false, maxSockets: count });
  const latencies: number[] = [];
  const bodies: string[] = [];
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      try {
        const res = await send(agent, i);
        if (res.status >= 300) errors += 1;
        bodies[i] = res.body;
      } catch {
        errors += 1;
      }
      latencies.push(performance.now() - started);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { ...summarize(latencies, errors, seconds), bodies };
}

function summarize(latencies: number[], errors: number, seconds: number): LoadResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    requests: sorted.length,
    errors,
    seconds: round(seconds),
    rps: Math.round(sorted.length / seconds),
    p50Ms: round(at(0.5)),
    p99Ms: round(at(0.99)),
    maxMs: round(sorted.at(-1) ?? 0),
  };
}

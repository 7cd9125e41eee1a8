import { Agent } from 'node:http';
import { Client as PgClient } from 'pg';
import { call } from './load';
import { aSubmitBody } from './requests';
import { BENCH_API_KEY } from './stack';

const HEADERS = { 'content-type': 'application/json', 'x-api-key': BENCH_API_KEY };

/** Submits one provisioning request to the gateway; returns its job id. */
export async function submit(agent: Agent, gatewayUrl: string, body = aSubmitBody()): Promise<string> {
  const res = await call(agent, `${gatewayUrl}/api/v1/provisioning/provision`, {
    method: 'POST',
    headers: HEADERS,
    body: JSON.stringify(body),
  });
  if (res.status !== 202) throw new Error(`submit answered ${res.status}: ${res.body}`);
  return (JSON.parse(res.body) as { job_id: string }).job_id;
}

export const submitHeaders = HEADERS;

/**
 * Waits until every job is completed (read from the read model directly, so that waiting adds
 * no load to the gateway); throws when one fails or the time is up.
 */
export async function waitCompleted(databaseUrl: string, jobIds: string[], timeoutMs: number): Promise<void> {
  const db = new PgClient({ connectionString: databaseUrl });
  await db.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await db.query<{ status: string; n: string }>(
        'SELECT status, count(*) AS n FROM provisioning_jobs WHERE job_id = ANY($1) GROUP BY status',
        [jobIds],
      );
      const counts = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
      if ((counts.completed ?? 0) === jobIds.length) return;
      if (counts.failed || counts.cancelled) throw new Error(`jobs ended badly: ${JSON.stringify(counts)}`);
      if (Date.now() > deadline)
        throw new Error(`not every job completed within ${timeoutMs} ms: ${JSON.stringify(counts)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await db.end();
  }
}

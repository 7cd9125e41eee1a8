import { createServer } from 'node:http';
import { Pool } from 'pg';

// The floor of the gateway's answers: a minimal node:http server on the same Postgres, doing
// the same database work with nothing around it (no framework, auth, logging or validation).
//   GET  /status/<job_id>  the job's row, as JSON
//   GET  /health           SELECT 1
//   POST /insert           one INSERT of the request body (the same burst the gateway gets)
// Started by run-bench.ts as `node floor-server.js <database url>`; prints its port.

const pool = new Pool({ connectionString: process.argv[2], max: 10 });

const server = createServer((req, res) => {
  const answer = (status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const fail = (err: Error) => answer(500, { error: err.message });
  if (req.method === 'GET' && req.url?.startsWith('/status/')) {
    pool
      .query<Record<string, unknown>>('SELECT * FROM provisioning_jobs WHERE job_id = $1', [
        req.url.slice('/status/'.length),
      ])
      .then((r) => (r.rows[0] ? answer(200, { success: true, job: r.rows[0] }) : answer(404, { success: false })))
      .catch(fail);
  } else if (req.method === 'GET' && req.url === '/health') {
    pool
      .query('SELECT 1')
      .then(() => answer(200, { status: 'healthy' }))
      .catch(fail);
  } else if (req.method === 'POST' && req.url === '/insert') {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      pool
        .query<{ id: string }>('INSERT INTO bench_floor_jobs (payload) VALUES ($1) RETURNING id', [
          Buffer.concat(chunks).toString(),
        ])
        .then((r) => answer(202, { success: true, id: r.rows[0].id }))
        .catch(fail);
    });
  } else {
    answer(404, { success: false });
  }
});

void pool
  .query(
    'CREATE TABLE IF NOT EXISTS bench_floor_jobs (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())',
  )
  .then(() =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
    }),
  );
process.on('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});

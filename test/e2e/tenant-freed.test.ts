import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { DataSource } from 'typeorm';
import { aProvisionRequest } from '../support/requests';
import { startGateway, type ApiBody, type TestGateway } from '../support/gateway';
import { eventually, openDatabase, realActivityDeps, startWorker, type RunningWorker } from '../support/test-stack';

const TASK_QUEUE = 'tenant-freed';
const SECRET = 'whsec-test-0123456789abcdef0123456789';

// The real gateway, worker, Temporal, Postgres and tofu; the signup backend's webhook is a real
// HTTP server that reads every request and never answers one.
describe('a destroyed tenant, with a webhook receiver that never answers', () => {
  let gateway: TestGateway;
  let worker: RunningWorker;
  let db: DataSource;
  let silent: Server;
  const sockets = new Set<Socket>();
  let received = 0;

  beforeAll(async () => {
    db = await openDatabase();
    silent = createServer(() => {
      received += 1;
    });
    silent.on('connection', (s) => sockets.add(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/hooks/poc`;
    gateway = await startGateway(TASK_QUEUE);
    worker = await startWorker(
      TASK_QUEUE,
      realActivityDeps(db, TASK_QUEUE, {}, { url, secret: SECRET, timeoutMs: 30_000 }),
    );
  });
  afterAll(async () => {
    await worker?.stop();
    await gateway?.close();
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    await db?.destroy();
  });

  const json = async (res: Response): Promise<ApiBody> => res.json();
  const submit = (body: unknown) => gateway.call('/provisioning/provision', { method: 'POST', json: body });
  const until = (jobId: string, statuses: string[]) =>
    eventually(
      async () => json(await gateway.call(`/provisioning/status/${jobId}`)),
      (s: ApiBody) => statuses.includes(s.status),
    );

  it('accepts a new request for the tenant as soon as the status says destroyed', async () => {
    const first = aProvisionRequest();
    const accepted = await submit(first);
    expect(accepted.status).toBe(202);
    const jobId = (await json(accepted)).job_id as string;
    await until(jobId, ['completed', 'failed']);
    expect((await gateway.call(`/provisioning/jobs/${jobId}/destroy`, { method: 'POST', json: {} })).status).toBe(202);
    await until(jobId, ['destroyed']);

    const again = await submit({ ...aProvisionRequest(), tenant_id: first.tenant_id });
    const body = await json(again);
    expect([again.status, body.error ?? null]).toEqual([202, null]);
    // The receiver got notifications and has answered none of them.
    await eventually(
      () => Promise.resolve(received),
      (n) => n > 0,
    );
    expect((await until(body.job_id as string, ['completed', 'failed'])).status).toBe('completed');
  });
});

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DataSource } from 'typeorm';
import { KEYS, type TestGateway } from '../support/gateway';
import { startEngine, type RunningEngine } from '../support/engine';

const run = promisify(execFile);
const TASK_QUEUE = 'go-client';

// The Go client (clients/go) against the real running API (gateway, worker, Temporal,
// Postgres, tofu): `go test` of its integration test, given the gateway's address and a key.
describe('the Go client against the running engine', () => {
  let engine: RunningEngine;
  let gateway: TestGateway;
  let db: DataSource;

  beforeAll(async () => {
    engine = await startEngine(TASK_QUEUE);
    ({ gateway, db } = engine);
  });
  afterAll(() => engine?.stop());

  it('submits a converted signup, waits for completed, destroys it and waits for destroyed', async () => {
    const result = await run(
      'go',
      ['test', '-count=1', '-v', '-timeout=15m', '-run', 'TestAgainstTheRunningEngine', './...'],
      {
        cwd: join(__dirname, '..', '..', 'clients', 'go'),
        env: {
          ...process.env,
          POC_ENGINE_BASE_URL: gateway.base.replace(/\/api\/v1$/, ''),
          POC_ENGINE_API_KEY: KEYS.all,
        },
        maxBuffer: 16 * 1024 * 1024,
      },
    ).catch((err: { stdout?: string; stderr?: string; message: string }) => ({
      stdout: `${err.stdout ?? ''}${err.stderr ?? ''}\n${err.message}`,
      stderr: '',
    }));
    expect(result.stdout).toMatch(/--- PASS: TestAgainstTheRunningEngineASignupIsProvisionedThenDestroyed/);
    expect(result.stdout).not.toMatch(/--- (SKIP|FAIL)/);

    const rows: Array<{ status: string }> = await db.query(
      "SELECT status FROM provisioning_jobs WHERE tenant_slug LIKE 'go-client-%'",
    );
    expect(rows).toEqual([{ status: 'destroyed' }]);
  }, 900_000);
});

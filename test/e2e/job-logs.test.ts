import type { NestExpressApplication } from '@nestjs/platform-express';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { startProcess, type ManagedProcess } from '../../scripts/stack/child-process';
import { freePort } from '../../scripts/stack/free-port';
import { projectRoot, providerMirrorPath, toolPath } from '../../scripts/stack/project-paths';
import { loadConfig } from '../../src/config/app-config';
import { createGatewayApp } from '../../src/gateway-app';
import { hasSample, sampleSum } from '../support/prometheus-text';
import { aProvisionRequest } from '../support/requests';
import { TEST_ENCRYPTION_KEY, testEnv, TEST_GATEWAY_ENV } from '../support/test-env';
import { eventually, openDatabase, testFolders } from '../support/test-stack';

const API_KEY = 'logs-key-0123456789abcdefgh';
const TASK_QUEUE = 'job-logs';

type LogLine = Record<string, unknown>;
const parseLines = (text: string): LogLine[] =>
  text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);

// The real processes' logs: the gateway in this process (its pino lines captured), the worker
// as built (dist/src/worker/main.js) with its stdout in a file, and the worker's scrape port.
describe('logs and worker metrics of one job', () => {
  let app: NestExpressApplication;
  let worker: ManagedProcess;
  let db: DataSource;
  let api: string;
  let workerLog: string;
  let metricsPort: number;
  const gatewayLines: string[] = [];

  beforeAll(async () => {
    db = await openDatabase();
    const env = {
      ...TEST_GATEWAY_ENV,
      DATABASE_URL: testEnv('databaseUrl'),
      TEMPORAL_ADDRESS: testEnv('temporalAddress'),
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      PROVISIONING_API_KEYS: API_KEY,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      LOG_LEVEL: 'info',
    };
    app = await createGatewayApp(loadConfig(env, 'gateway'), {
      logDestination: { write: (line: string) => void gatewayLines.push(line) },
    });
    await app.listen(0, '127.0.0.1');
    api = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api/v1`;

    metricsPort = await freePort();
    const folders = testFolders(TASK_QUEUE);
    workerLog = join(testEnv('runDir'), 'job-logs-worker.log');
    worker = startProcess('worker', process.execPath, [join(projectRoot(), 'dist/src/worker/main.js')], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...env,
        METRICS_PORT: String(metricsPort),
        TEMPORAL_SDK_METRICS_PORT: String(await freePort()),
        TOFU_BINARY: toolPath('tofu'),
        TERRAFORM_DIR: join(projectRoot(), 'terraform'),
        WORKSPACE_ROOT: folders.workspaceRoot,
        ENVIRONMENT_ROOT: folders.environmentRoot,
        TOFU_PROVIDER_MIRROR_DIR: providerMirrorPath(),
      },
      logFile: workerLog,
    });
  });

  afterAll(async () => {
    await worker?.stop(20_000);
    await app?.close();
    await db?.destroy();
  });

  it('puts the job, tenant, request, workflow, run and step on every worker line of the job, and the request id on the gateway lines', async () => {
    const request = aProvisionRequest();
    const res = await fetch(`${api}/provisioning/provision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY, 'x-request-id': 'req-job-logs-1' },
      body: JSON.stringify(request),
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-request-id')).toBe('req-job-logs-1');
    const { job_id: jobId } = (await res.json()) as { job_id: string };
    await eventually(
      async () => (await db.query('SELECT status FROM provisioning_jobs WHERE job_id = $1', [jobId]))[0].status,
      (s: string) => s === 'completed' || s === 'failed',
      90_000,
    );

    // Gateway: every line of the request carries its id; the request-completed line names the job.
    const ofRequest = parseLines(gatewayLines.join('')).filter((l) => l.request_id === 'req-job-logs-1');
    expect(ofRequest.length).toBeGreaterThanOrEqual(2);
    expect(ofRequest.every((l) => l.tenant_slug === request.tenant_slug)).toBe(true);
    expect(ofRequest.find((l) => l.msg === 'request completed')).toMatchObject({
      job_id: jobId,
      res: { status_code: 202 },
    });

    // Worker: the lines of this job (found by its workflow id, which the SDK adds) carry every id.
    const workflowId = `poc-${request.tenant_id}`;
    const ofJob = await eventually(
      () => Promise.resolve(parseLines(readFileSync(workerLog, 'utf8')).filter((l) => l.workflow_id === workflowId)),
      (lines) => lines.some((l) => l.step === 'tofuApply'),
      10_000,
    );
    const steps = new Set(ofJob.map((l) => l.step));
    expect([...steps]).toEqual(expect.arrayContaining(['createWorkspace', 'tofuInit', 'tofuPlan', 'tofuApply']));
    for (const line of ofJob) {
      expect(line).toMatchObject({
        job_id: jobId,
        tenant_slug: request.tenant_slug,
        request_id: 'req-job-logs-1',
        workflow_id: workflowId,
        run_id: expect.any(String),
        step: expect.any(String),
        level: expect.any(String),
        time: expect.any(String),
      });
    }

    // Nothing secret or personal in either log.
    const everything = gatewayLines.join('') + readFileSync(workerLog, 'utf8');
    expect(everything).not.toContain(API_KEY);
    expect(everything).not.toContain(request.company_info.contact_email);
  });

  it("serves the worker's own metrics and the Temporal SDK's on one scrape port, with liveness and readiness paths", async () => {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(sampleSum(text, 'poc_tofu_step_duration_seconds_count', { step: 'apply' })).toBeGreaterThanOrEqual(1);
    expect(sampleSum(text, 'poc_jobs_completed_total')).toBe(1);
    // The SDK's exporter (Runtime telemetry): its worker and task metrics carry the temporal_ prefix.
    expect(
      hasSample(text, 'temporal_activity_execution_latency_count') ||
        hasSample(text, 'temporal_activity_execution_latency_bucket'),
    ).toBe(true);
    expect(hasSample(text, 'temporal_worker_task_slots_available')).toBe(true);
    const live = await fetch(`http://127.0.0.1:${metricsPort}/health/live`);
    expect(live.status).toBe(200);
    // Readiness: the worker process's Temporal workers run (src/worker/workers-readiness.ts).
    const ready = await fetch(`http://127.0.0.1:${metricsPort}/health/ready`);
    expect({ status: ready.status, body: await ready.json() }).toEqual({
      status: 200,
      body: { status: 'ready', ready: true },
    });
  });
});

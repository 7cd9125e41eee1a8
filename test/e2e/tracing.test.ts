import type { NestExpressApplication } from '@nestjs/platform-express';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { DataSource } from 'typeorm';
import { KEYS, startGateway, type TestGateway } from '../support/gateway';
import { startTracing, type Tracing } from '../../src/tracing/tracing';
import { aProvisionRequest } from '../support/requests';
import { eventually, openDatabase, realActivityDeps, startWorker, type RunningWorker } from '../support/test-stack';

const API_KEY = KEYS.all;
const TASK_QUEUE = 'tracing';

// Gateway and worker in this process share one tracer provider whose spans stay in memory.
describe('tracing', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing | null;
  let gateway: TestGateway;
  let app: NestExpressApplication;
  let worker: RunningWorker;
  let db: DataSource;
  let api: string;

  beforeAll(async () => {
    tracing = startTracing({ serviceName: 'poc-test', spanProcessor: new SimpleSpanProcessor(exporter) });
    db = await openDatabase();
    gateway = await startGateway(TASK_QUEUE);
    app = gateway.app;
    api = gateway.base;
    worker = await startWorker(TASK_QUEUE, realActivityDeps(db, TASK_QUEUE), { tracing });
  });

  afterAll(async () => {
    await worker?.stop();
    await app?.close();
    await db?.destroy();
    await tracing?.shutdown();
  });

  it('follows one request in one trace: HTTP request, workflow start, activity scheduling and tofu steps', async () => {
    // A caller's trace context is continued: the whole run hangs under the caller's span.
    const callerTraceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await fetch(`${api}/provisioning/provision`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${API_KEY}`,
        traceparent: `00-${callerTraceId}-00f067aa0ba902b7-01`,
      },
      body: JSON.stringify(aProvisionRequest()),
    });
    expect(res.status).toBe(202);
    const { job_id: jobId } = (await res.json()) as { job_id: string };
    await eventually(
      async () => (await db.query('SELECT status FROM provisioning_jobs WHERE job_id = $1', [jobId]))[0].status,
      (s: string) => s === 'completed' || s === 'failed',
    );

    const spans = await eventually(
      () => Promise.resolve(exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === callerTraceId)),
      (found) => found.some((s) => s.name === 'RunActivity:extractOutputs'),
      10_000,
    );
    const names = spans.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /api/v1/provisioning/provision',
        'StartWorkflow:provisionEnvironment',
        'StartActivity:tofuApply',
        'RunActivity:tofuInit',
        'RunActivity:tofuPlan',
        'RunActivity:tofuApply',
      ]),
    );
    // One tree: caller -> HTTP request -> workflow start; the workflow's run span (still open: the
    // run waits for expiry) -> activity scheduled -> activity run.
    const named = (name: string) => spans.find((s) => s.name === name) as ReadableSpan;
    const http = named('POST /api/v1/provisioning/provision');
    expect(http.parentSpanId).toBe('00f067aa0ba902b7');
    expect(named('StartWorkflow:provisionEnvironment').parentSpanId).toBe(http.spanContext().spanId);
    expect(named('RunActivity:tofuApply').parentSpanId).toBe(named('StartActivity:tofuApply').spanContext().spanId);
  });
});

import type { NestExpressApplication } from '@nestjs/platform-express';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { KEYS, startGateway, type TestGateway } from '../support/gateway';
import { FleetFactsReader } from '../../src/read-model/fleet-facts';
import { ReconciliationStore } from '../../src/read-model/reconciliation-store';
import { MetricsServer } from '../../src/worker/metrics-server';
import { WorkerMetrics } from '../../src/worker/worker-metrics';
import { hasSample, sampleSum } from '../support/prometheus-text';
import { aProvisionRequest } from '../support/requests';
import { eventually, openDatabase, realActivityDeps, startWorker, type RunningWorker } from '../support/test-stack';
import { startWebhookReceiver } from '../support/webhook-receiver';

const API_KEY = KEYS.all;
const TASK_QUEUE = 'metrics';

// The gateway's /api/v1/metrics and a worker's /metrics, scraped over HTTP before and after a
// provisioning whose apply fails once (a retry) and whose first webhook delivery fails.
describe('metrics', () => {
  let gateway: TestGateway;
  let app: NestExpressApplication;
  let worker: RunningWorker;
  let workerMetrics: MetricsServer;
  let db: DataSource;
  let api: string;
  let workerScrapeUrl: string;
  let webhook: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    db = await openDatabase();
    gateway = await startGateway(TASK_QUEUE);
    app = gateway.app;
    api = gateway.base;

    // The first delivery of each event fails with a 503; its retry succeeds.
    webhook = await startWebhookReceiver((body, earlier) => (earlier.some((e) => e.body === body) ? 204 : 503));
    const registry = new Registry();
    const facts = new FleetFactsReader(db);
    const metrics = new WorkerMetrics(registry, (id) => facts.jobLabels(id));
    workerMetrics = new MetricsServer(registry, null);
    workerScrapeUrl = `http://127.0.0.1:${await workerMetrics.listen(0, '127.0.0.1')}/metrics`;
    worker = await startWorker(TASK_QUEUE, {
      ...realActivityDeps(
        db,
        TASK_QUEUE,
        { transientFailures: 1 },
        { url: webhook.url, secret: 'metrics-webhook-secret-0123456789abcdef', timeoutMs: 5000 },
      ),
      metrics,
    });
  });

  afterAll(async () => {
    await worker?.stop();
    await workerMetrics?.close();
    await webhook?.close();
    await app?.close();
    await db?.destroy();
  });

  const scrapeGateway = async () => (await fetch(`${api}/metrics`)).text();
  const scrapeWorker = async () => (await fetch(workerScrapeUrl)).text();

  it('counts a provisioning in the gateway and worker metrics: submits, steps, retries, webhooks and the fleet', async () => {
    const [gatewayBefore, workerBefore] = [await scrapeGateway(), await scrapeWorker()];
    const request = { ...aProvisionRequest({ tier: 'professional', expiresInMs: 12 * 3600_000 }), priority: 'high' };
    const res = await fetch(`${api}/provisioning/provision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify(request),
    });
    expect(res.status).toBe(202);
    const { job_id: jobId } = (await res.json()) as { job_id: string };

    const inFlight = await scrapeGateway();
    expect(sampleSum(inFlight, 'poc_jobs_in_flight', { tier: 'professional', priority: 'high' })).toBeGreaterThan(0);
    expect(hasSample(inFlight, 'poc_jobs_oldest_in_flight_seconds')).toBe(true);

    await eventually(
      async () => (await db.query('SELECT status FROM provisioning_jobs WHERE job_id = $1', [jobId]))[0].status,
      (s: string) => s === 'completed' || s === 'failed',
    );
    // The ready notification goes out in the background: wait for its retry to land.
    await eventually(
      () => Promise.resolve(webhook.received.filter((r) => r.status === 204).length),
      (n) => n > 0,
    );

    const gateway = await scrapeGateway();
    const moved = (text: string, before: string, name: string, labels: Record<string, string> = {}) =>
      sampleSum(text, name, labels) - sampleSum(before, name, labels);
    expect(moved(gateway, gatewayBefore, 'poc_jobs_submitted_total', { tier: 'professional', priority: 'high' })).toBe(
      1,
    );
    expect(sampleSum(gateway, 'poc_environments_live', { tier: 'professional' })).toBeGreaterThanOrEqual(1);
    expect(sampleSum(gateway, 'poc_environments_expiring_24h')).toBeGreaterThanOrEqual(1);
    expect(sampleSum(gateway, 'poc_read_model_up')).toBe(1);
    expect(sampleSum(gateway, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);

    const w = await scrapeWorker();
    for (const step of ['init', 'plan', 'apply']) {
      const labels = { step, tier: 'professional' };
      expect(moved(w, workerBefore, 'poc_tofu_step_duration_seconds_count', labels)).toBeGreaterThanOrEqual(1);
      expect(moved(w, workerBefore, 'poc_tofu_step_duration_seconds_sum', labels)).toBeGreaterThan(0);
    }
    expect(
      moved(w, workerBefore, 'poc_tofu_step_duration_seconds_count', { step: 'apply', outcome: 'failure' }),
    ).toBeGreaterThanOrEqual(1);
    expect(moved(w, workerBefore, 'poc_tofu_retries_total', { step: 'apply' })).toBeGreaterThanOrEqual(1);
    expect(moved(w, workerBefore, 'poc_jobs_completed_total', { tier: 'professional', priority: 'high' })).toBe(1);
    expect(
      moved(w, workerBefore, 'poc_provisioning_duration_seconds_count', { tier: 'professional', outcome: 'success' }),
    ).toBe(1);
    expect(moved(w, workerBefore, 'poc_webhook_failures_total', { event: 'environment.ready' })).toBeGreaterThanOrEqual(
      1,
    );
  });

  it('reports the latest reconciliation sweep: unresolved findings and repairs', async () => {
    const startedAt = new Date(Date.now() + 60_000).toISOString();
    await new ReconciliationStore(db).recordRun({
      startedAt,
      finishedAt: startedAt,
      resolutions: [
        { finding: { kind: 'orphan_workspace', jobId: 'a' }, outcome: 'repaired', action: 'removed' },
        { finding: { kind: 'orphan_state', tenantId: 'b', resources: 1 }, outcome: 'reported', reason: 'tracked' },
        { finding: { kind: 'orphan_state', tenantId: 'c', resources: 2 }, outcome: 'reported', reason: 'tracked' },
      ],
    });
    // The gauges are read from the read model at scrape time (cached for a second).
    const text = await eventually(
      scrapeGateway,
      (t) => sampleSum(t, 'poc_reconciliation_unresolved_findings') === 2,
      5000,
    );
    expect(sampleSum(text, 'poc_reconciliation_repaired')).toBe(1);
  });

  it('reports live environments past their expiry and the workers polling each task queue, as the alerts read them', async () => {
    const [job] = await db.query<Array<{ job_id: string }>>(
      `SELECT job_id FROM provisioning_jobs WHERE status = 'completed' AND poc_tier = 'professional' LIMIT 1`,
    );
    const pastExpiry = (t: string) => sampleSum(t, 'poc_environments_past_expiry');
    const before = pastExpiry(await scrapeGateway());
    // Only the read model's expiry moves: the run's own timer is not touched.
    await db.query(`UPDATE provisioning_jobs SET expires_at = now() - interval '1 hour' WHERE job_id = $1`, [
      job.job_id,
    ]);
    const text = await eventually(scrapeGateway, (t) => pastExpiry(t) >= before + 1, 5000);
    expect(sampleSum(text, 'poc_task_queue_pollers', { task_queue: TASK_QUEUE, type: 'workflow' })).toBeGreaterThan(0);
  });
});

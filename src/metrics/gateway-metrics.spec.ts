import { GatewayMetrics } from './gateway-metrics';

// Sample lines only: a HELP line may contain the metric name followed by a number too.
const value = (text: string, line: RegExp) => Number(new RegExp(`^${line.source}`, 'm').exec(text)?.[1]);

describe('GatewayMetrics', () => {
  it('reports the fleet as read at scrape time, every gauge from the same read', async () => {
    let reads = 0;
    const metrics = new GatewayMetrics(() => {
      reads += 1;
      return Promise.resolve({
        inFlight: [{ status: 'provisioning', tier: 'standard', priority: 'high', count: 2 }],
        live: [{ tier: 'enterprise', count: 5 }],
        destroyFailed: [{ tier: 'standard', count: 7 }],
        destroyIncomplete: [{ tier: 'premium', count: 6 }],
        drifted: [{ tier: 'professional', count: 2 }],
        expiringWithin24h: 1,
        pastExpiry: 0,
        oldestInFlight: [],
        lastReconciliation: { repaired: 3, unresolved: 4, finishedAt: new Date(1_000_000) },
      });
    });
    const { body } = await metrics.scrape();
    expect(reads).toBe(1);
    expect(value(body, /poc_jobs_in_flight\{status="provisioning",tier="standard",priority="high"\} (\d+)/)).toBe(2);
    expect(value(body, /poc_environments_live\{tier="enterprise"\} (\d+)/)).toBe(5);
    expect(value(body, /poc_environments_expiring_24h (\d+)/)).toBe(1);
    expect(value(body, /poc_jobs_destroy_failed\{tier="standard"\} (\d+)/)).toBe(7);
    expect(value(body, /poc_jobs_destroy_incomplete\{tier="premium"\} (\d+)/)).toBe(6);
    expect(value(body, /poc_environments_drifted\{tier="professional"\} (\d+)/)).toBe(2);
    expect(value(body, /poc_reconciliation_unresolved_findings (\d+)/)).toBe(4);
    expect(value(body, /poc_reconciliation_repaired (\d+)/)).toBe(3);
    expect(value(body, /poc_reconciliation_last_run_timestamp_seconds (\d+)/)).toBe(1000);
    expect(value(body, /poc_read_model_up (\d+)/)).toBe(1);
  });

  it('still answers when the read model does not, saying so in poc_read_model_up', async () => {
    const metrics = new GatewayMetrics(() => Promise.reject(new Error('connection refused')));
    metrics.jobSubmitted('standard', 'low');
    const { body } = await metrics.scrape();
    expect(value(body, /poc_read_model_up (\d+)/)).toBe(0);
    expect(body).not.toMatch(/poc_environments_live\{/);
    expect(value(body, /poc_jobs_submitted_total\{tier="standard",priority="low"\} (\d+)/)).toBe(1);
  });

  it('reports environments past their expiry, how long the stalest job of each in-flight status has not moved, and the pollers of each task queue', async () => {
    const metrics = new GatewayMetrics(
      () =>
        Promise.resolve({
          inFlight: [],
          live: [],
          destroyFailed: [],
          destroyIncomplete: [],
          drifted: [],
          expiringWithin24h: 0,
          pastExpiry: 2,
          oldestInFlight: [{ status: 'destroying', seconds: 5400 }],
          lastReconciliation: null,
        }),
      () =>
        Promise.resolve([
          { name: 'poc-provisioning', type: 'workflow' as const, pollers: 3 },
          { name: 'poc-provisioning-tofu', type: 'activity' as const, pollers: 0 },
        ]),
    );
    const { body } = await metrics.scrape();
    expect(value(body, /poc_environments_past_expiry (\d+)/)).toBe(2);
    expect(value(body, /poc_jobs_oldest_in_flight_seconds\{status="destroying"\} (\d+)/)).toBe(5400);
    expect(value(body, /poc_task_queue_pollers\{task_queue="poc-provisioning",type="workflow"\} (\d+)/)).toBe(3);
    expect(value(body, /poc_task_queue_pollers\{task_queue="poc-provisioning-tofu",type="activity"\} (\d+)/)).toBe(0);
  });

  it('reports no pollers at all, rather than zero, when Temporal does not answer', async () => {
    const metrics = new GatewayMetrics(
      () => Promise.reject(new Error('read model down')),
      () => Promise.reject(new Error('frontend unreachable')),
    );
    const { body } = await metrics.scrape();
    expect(body).not.toMatch(/^poc_task_queue_pollers\{/m);
  });
});

import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { FleetFacts } from '../read-model/fleet-facts';

/**
 * The gateway's metrics. Fleet gauges are read from the read model when Prometheus scrapes, so
 * every replica reports the same truth; the submit counter is this replica's own (sum them).
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly submitted: Counter<'tier' | 'priority'>;
  /** The fleet as read for the scrape in progress: every gauge of one scrape reports the same read. */
  private current?: Promise<FleetFacts | null>;

  constructor(private readonly readFleet: () => Promise<FleetFacts>) {
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.submitted = new Counter({
      name: 'poc_jobs_submitted_total',
      help: 'Provisioning requests accepted by this gateway replica, by tier and priority',
      labelNames: ['tier', 'priority'],
      registers,
    });
    const facts = () => this.facts();
    new Gauge({
      name: 'poc_read_model_up',
      help: '1 when the fleet gauges could be read from the read model at this scrape',
      registers,
      async collect() {
        this.set((await facts()) ? 1 : 0);
      },
    });
    new Gauge({
      name: 'poc_jobs_in_flight',
      help: 'Jobs accepted and not yet ready, or being destroyed, by status, tier and priority',
      labelNames: ['status', 'tier', 'priority'],
      registers,
      async collect() {
        const f = await facts();
        this.reset();
        for (const r of f?.inFlight ?? []) this.set({ status: r.status, tier: r.tier, priority: r.priority }, r.count);
      },
    });
    new Gauge({
      name: 'poc_environments_live',
      help: 'Environments provisioned and not yet destroyed, by tier',
      labelNames: ['tier'],
      registers,
      async collect() {
        const f = await facts();
        this.reset();
        for (const r of f?.live ?? []) this.set({ tier: r.tier }, r.count);
      },
    });
    new Gauge({
      name: 'poc_jobs_destroy_failed',
      help: 'Jobs whose destroy failed and is being retried on a backoff: resources are left (alert when > 0)',
      labelNames: ['tier'],
      registers,
      async collect() {
        const f = await facts();
        this.reset();
        for (const r of f?.destroyFailed ?? []) this.set({ tier: r.tier }, r.count);
      },
    });
    new Gauge({
      name: 'poc_environments_expiring_24h',
      help: 'Live environments whose expiry is within the next 24 hours',
      registers,
      async collect() {
        const f = await facts();
        this.reset();
        if (f) this.set(f.expiringWithin24h);
      },
    });
    const reconciliation = (
      name: string,
      help: string,
      pick: (r: NonNullable<FleetFacts['lastReconciliation']>) => number,
    ) =>
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          const r = (await facts())?.lastReconciliation;
          this.reset();
          if (r) this.set(pick(r));
        },
      });
    reconciliation(
      'poc_reconciliation_unresolved_findings',
      'Findings the latest reconciliation sweep could not repair (they need an engineer)',
      (r) => r.unresolved,
    );
    reconciliation('poc_reconciliation_repaired', 'Drift the latest reconciliation sweep repaired', (r) => r.repaired);
    reconciliation(
      'poc_reconciliation_last_run_timestamp_seconds',
      'When the latest reconciliation sweep finished (alert when it is old)',
      (r) => r.finishedAt.getTime() / 1000,
    );
  }

  /** Counts one accepted provisioning request. */
  jobSubmitted(tier: string, priority: string): void {
    this.submitted.inc({ tier, priority });
  }

  /** Prometheus text exposition of every metric. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    this.current = this.readFleet().catch(() => null);
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** A read model that does not answer leaves the fleet gauges empty and poc_read_model_up at 0. */
  private facts(): Promise<FleetFacts | null> {
    this.current ??= this.readFleet().catch(() => null);
    return this.current;
  }
}

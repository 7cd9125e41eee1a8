import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { FleetFacts } from '../read-model/fleet-facts';

/** One Temporal task queue as the gateway sees it: how many workers poll it. */
export interface QueuePollers {
  name: string;
  type: 'workflow' | 'activity';
  pollers: number;
}

/**
 * The gateway's metrics. Fleet gauges are read from the read model when Prometheus scrapes, so
 * every replica reports the same truth; the submit counter is this replica's own (sum them).
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly submitted: Counter<'tier' | 'priority'>;
  /** The fleet as read for the scrape in progress: every gauge of one scrape reports the same read. */
  private current?: Promise<FleetFacts | null>;

  /** The task queues as read for the scrape in progress; null when Temporal did not answer. */
  private currentQueues?: Promise<QueuePollers[] | null>;

  constructor(
    private readonly readFleet: () => Promise<FleetFacts>,
    private readonly readQueues: () => Promise<QueuePollers[]> = () => Promise.resolve([]),
  ) {
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
      name: 'poc_jobs_destroy_incomplete',
      help: 'Jobs destroyed by tofu whose proof of deletion found resources left in the cloud, retried on a backoff (alert when > 0)',
      labelNames: ['tier'],
      registers,
      async collect() {
        const f = await facts();
        this.reset();
        for (const r of f?.destroyIncomplete ?? []) this.set({ tier: r.tier }, r.count);
      },
    });
    new Gauge({
      name: 'poc_environments_drifted',
      help: 'Live environments whose last drift check found them differing from their configuration, by tier',
      labelNames: ['tier'],
      registers,
      async collect() {
        const f = await facts();
        this.reset();
        for (const r of f?.drifted ?? []) this.set({ tier: r.tier }, r.count);
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
    new Gauge({
      name: 'poc_environments_past_expiry',
      help: 'Live environments whose expiry has passed and that are still not destroyed (alert when > 0)',
      registers,
      async collect() {
        const f = await facts();
        this.reset();
        if (f) this.set(f.pastExpiry);
      },
    });
    new Gauge({
      name: 'poc_jobs_oldest_in_flight_seconds',
      help: 'Per in-flight status, seconds since the least recent progress write of a job in it (a stuck job grows it)',
      labelNames: ['status'],
      registers,
      async collect() {
        const f = await facts();
        this.reset();
        for (const r of f?.oldestInFlight ?? []) this.set({ status: r.status }, r.seconds);
      },
    });
    const queues = () => this.queues();
    new Gauge({
      name: 'poc_task_queue_pollers',
      help: 'Workers polling each Temporal task queue, as the Temporal frontend reports them (alert when 0)',
      labelNames: ['task_queue', 'type'],
      registers,
      async collect() {
        const q = await queues();
        this.reset();
        for (const r of q ?? []) this.set({ task_queue: r.name, type: r.type }, r.pollers);
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
    reconciliation(
      'poc_reconciliation_repaired',
      'Discrepancies the latest reconciliation sweep repaired',
      (r) => r.repaired,
    );
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
    this.currentQueues = this.readQueues().catch(() => null);
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** A Temporal frontend that does not answer leaves poc_task_queue_pollers empty (not 0). */
  private queues(): Promise<QueuePollers[] | null> {
    this.currentQueues ??= this.readQueues().catch(() => null);
    return this.currentQueues;
  }

  /** A read model that does not answer leaves the fleet gauges empty and poc_read_model_up at 0. */
  private facts(): Promise<FleetFacts | null> {
    this.current ??= this.readFleet().catch(() => null);
    return this.current;
  }
}

import type { DataSource } from 'typeorm';
import { IN_FLIGHT_STATUSES, LIVE_STATUSES } from '../domain/job-state-machine';

/** What the metrics need to know of a job to label it; read once, when the job ends. */
export interface JobLabels {
  tier: string;
  priority: string;
  queuedAt: Date;
}

/** The fleet as the read model sees it now; what the gauges of every gateway replica report. */
export interface FleetFacts {
  inFlight: Array<{ status: string; tier: string; priority: string; count: number }>;
  live: Array<{ tier: string; count: number }>;
  /** Jobs whose destroy failed: resources are left and an engineer may be needed. */
  destroyFailed: Array<{ tier: string; count: number }>;
  /** Jobs whose proof of deletion found resources left in the cloud (ADR 27). */
  destroyIncomplete: Array<{ tier: string; count: number }>;
  /** Live environments a drift check found differing from their configuration (ADR 28). */
  drifted: Array<{ tier: string; count: number }>;
  expiringWithin24h: number;
  /** Live environments whose expiry has passed: the expiry destroy has not removed them. */
  pastExpiry: number;
  /** Per in-flight status, seconds since the least recent progress write of a job in it. */
  oldestInFlight: Array<{ status: string; seconds: number }>;
  /** The latest reconciliation sweep; null before the first one. */
  lastReconciliation: { repaired: number; unresolved: number; finishedAt: Date } | null;
}

/** Reads what the scrape-time gauges report (a few aggregate queries on indexed columns). */
export class FleetFactsReader {
  constructor(private readonly db: DataSource) {}

  async read(): Promise<FleetFacts> {
    const [inFlight, live, destroyFailed, destroyIncomplete, expiring, reconciliation, pastExpiry, oldest, drifted] =
      await Promise.all([
        this.db.query<FleetFacts['inFlight']>(
          `SELECT status, poc_tier AS tier, priority, count(*)::int AS count
           FROM provisioning_jobs WHERE status = ANY($1) GROUP BY 1, 2, 3`,
          [IN_FLIGHT_STATUSES],
        ),
        this.db.query<FleetFacts['live']>(
          `SELECT poc_tier AS tier, count(*)::int AS count FROM provisioning_jobs WHERE status = 'completed' GROUP BY 1`,
        ),
        this.db.query<FleetFacts['destroyFailed']>(
          `SELECT poc_tier AS tier, count(*)::int AS count FROM provisioning_jobs WHERE status = 'destroy_failed' GROUP BY 1`,
        ),
        this.db.query<FleetFacts['destroyIncomplete']>(
          `SELECT poc_tier AS tier, count(*)::int AS count FROM provisioning_jobs WHERE status = 'destroy_incomplete' GROUP BY 1`,
        ),
        this.db.query<Array<{ count: number }>>(
          `SELECT count(*)::int AS count FROM provisioning_jobs
          WHERE status = 'completed' AND expires_at < now() + interval '24 hours'`,
        ),
        this.db.query<Array<{ repaired: number; unresolved: number; finished_at: Date }>>(
          `SELECT repaired, unresolved, finished_at FROM reconciliation_runs ORDER BY started_at DESC LIMIT 1`,
        ),
        this.db.query<Array<{ count: number }>>(
          `SELECT count(*)::int AS count FROM provisioning_jobs WHERE status = 'completed' AND expires_at < now()`,
        ),
        // Every progress write sets updated_at: its age is how long the job has not moved.
        this.db.query<Array<{ status: string; seconds: number }>>(
          `SELECT status, extract(epoch FROM now() - min(updated_at))::float8 AS seconds
           FROM provisioning_jobs WHERE status = ANY($1) GROUP BY 1`,
          [IN_FLIGHT_STATUSES],
        ),
        this.db.query<FleetFacts['drifted']>(
          `SELECT poc_tier AS tier, count(*)::int AS count FROM provisioning_jobs
            WHERE drift_detected_at IS NOT NULL AND status = ANY($1) GROUP BY 1`,
          [LIVE_STATUSES],
        ),
      ]);
    const last = reconciliation[0];
    return {
      inFlight,
      live,
      destroyFailed,
      destroyIncomplete,
      drifted,
      expiringWithin24h: expiring[0]?.count ?? 0,
      pastExpiry: pastExpiry[0]?.count ?? 0,
      oldestInFlight: oldest.map((r) => ({ status: r.status, seconds: Number(r.seconds) })),
      lastReconciliation: last
        ? { repaired: last.repaired, unresolved: last.unresolved, finishedAt: last.finished_at }
        : null,
    };
  }

  /** Tier, priority and acceptance time of one job, to label the metrics of its end. */
  async jobLabels(jobId: string): Promise<JobLabels | null> {
    const rows: Array<{ tier: string; priority: string; queued_at: Date }> = await this.db.query(
      'SELECT poc_tier AS tier, priority, queued_at FROM provisioning_jobs WHERE job_id = $1',
      [jobId],
    );
    const r = rows[0];
    return r ? { tier: r.tier, priority: r.priority, queuedAt: r.queued_at } : null;
  }
}

import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { DataSource } from 'typeorm';
import packageJson from '../../package.json';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { TEMPORAL_PROBE_CONNECTION } from '../temporal/temporal.module';
import { driftTaskQueue, tofuTaskQueue } from '../../workflows/provision-environment.types';
import type { HealthReport, HealthState, QueueState, ReadinessReport } from '../openapi/responses';

const CHECK_TIMEOUT_MS = 3000;
/**
 * How long Temporal's answer (the task queues and their pollers) is reused. Health is public
 * and unthrottled: without this every call cost three describeTaskQueue calls to Temporal; now
 * one round of them per interval, however many callers ask, and callers that arrive while a
 * round is under way share it.
 */
export const TEMPORAL_ANSWER_TTL_MS = 5000;
/**
 * How long the database's answer (`SELECT 1`) is reused, on the same terms: a burst of health
 * calls costs one query per second, and a database that stops answering shows within a second.
 */
export const DATABASE_ANSWER_TTL_MS = 1000;

export type { HealthReport, QueueState, ReadinessReport } from '../openapi/responses';

type Check = { status: 'up'; latency_ms: number } | { status: 'down'; error: string };

const VERSION: string = packageJson.version;

/** Real checks of Postgres and of Temporal (workers polling the task queue). */
@Injectable()
export class HealthService implements OnModuleDestroy {
  /** Aborted at shutdown: no check outlives the connection it uses. */
  private readonly closing = new AbortController();
  /** Temporal's last answer (or the round under way), asked again once older than its TTL. */
  private readonly temporalAnswer = new ReusedAnswer(TEMPORAL_ANSWER_TTL_MS, () => timed(() => this.queueStates()));
  /** The database's last answer, likewise. */
  private readonly databaseAnswer = new ReusedAnswer(DATABASE_ANSWER_TTL_MS, () =>
    timed(() => this.db.query('SELECT 1')),
  );

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(TEMPORAL_PROBE_CONNECTION) private readonly temporal: Connection,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleDestroy(): void {
    this.closing.abort();
  }

  /**
   * The seed's health answer: unhealthy when Postgres or Temporal does not answer, degraded when
   * they answer but no worker polls some task queue (requests would only wait), else healthy.
   */
  async report(): Promise<HealthReport> {
    const [database, temporal] = await Promise.all([this.databaseAnswer.get(), this.temporalAnswer.get()]);
    const queues = temporal.status === 'up' ? temporal.value : [];
    const queue: HealthState =
      temporal.status === 'down' ? 'unhealthy' : queues.some((q) => q.pollers === 0) ? 'degraded' : 'healthy';
    return {
      status: database.status === 'down' ? 'unhealthy' : queue,
      database: database.status === 'up' ? 'connected' : 'disconnected',
      queue,
      workers: queues[0]?.pollers ?? 0,
      version: VERSION,
      timestamp: new Date().toISOString(),
      checks: {
        database: strip(database),
        temporal: { ...strip(temporal), task_queue: this.config.temporal.taskQueue },
      },
      queues,
    };
  }

  /**
   * Ready when Postgres and Temporal answer and every task queue has a worker polling it: a
   * request accepted without workers would only wait.
   */
  async readiness(): Promise<ReadinessReport> {
    const report = await this.report();
    const reasons: string[] = [];
    const { database, temporal } = report.checks;
    if (database.status === 'down') reasons.push(`database: ${database.error ?? 'down'}`);
    if (temporal.status === 'down') reasons.push(`temporal: ${temporal.error ?? 'down'}`);
    for (const q of report.queues) if (q.pollers === 0) reasons.push(`no worker polls ${q.type} queue ${q.name}`);
    return { ready: reasons.length === 0, reasons, report };
  }

  /**
   * The task queues' pollers from the same cached round as the health checks (the metrics'
   * pollers gauge): a scrape adds no Temporal calls. Rejects when Temporal did not answer.
   */
  async cachedQueueStates(): Promise<QueueState[]> {
    const answer = await this.temporalAnswer.get();
    if (answer.status === 'down') throw new Error(answer.error);
    return answer.value;
  }

  /** The workflow queue, then the quick-activity, tofu-activity and drift-check queues. */
  private queueStates(): Promise<QueueState[]> {
    const main = this.config.temporal.taskQueue;
    // Cut the calls at the check's own limit, and at shutdown.
    const signal = AbortSignal.any([AbortSignal.timeout(CHECK_TIMEOUT_MS), this.closing.signal]);
    return this.temporal.withAbortSignal(signal, () =>
      Promise.all([
        this.describe(main, 'workflow'),
        this.describe(main, 'activity'),
        this.describe(tofuTaskQueue(main), 'activity'),
        this.describe(driftTaskQueue(main), 'activity'),
      ]),
    );
  }

  private async describe(name: string, type: QueueState['type']): Promise<QueueState> {
    const { TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY } = temporal.api.enums.v1.TaskQueueType;
    const res = await this.temporal.workflowService.describeTaskQueue({
      namespace: this.config.temporal.namespace,
      taskQueue: { name },
      taskQueueType: type === 'workflow' ? TASK_QUEUE_TYPE_WORKFLOW : TASK_QUEUE_TYPE_ACTIVITY,
      reportStats: true,
    });
    const identities = new Set((res.pollers ?? []).map((p) => p.identity ?? 'unknown'));
    const backlog = res.stats?.approximateBacklogCount;
    return { name, type, pollers: identities.size, backlog: backlog ? Number(backlog.toString()) : 0 };
  }
}

/** One answer shared by every caller until it is `ttlMs` old (counted from when it was asked). */
class ReusedAnswer<T> {
  private last: { startedAt: number; answer: Promise<T> } | null = null;

  constructor(
    private readonly ttlMs: number,
    private readonly ask: () => Promise<T>,
  ) {}

  get(now = Date.now()): Promise<T> {
    if (!this.last || now - this.last.startedAt >= this.ttlMs) this.last = { startedAt: now, answer: this.ask() };
    return this.last.answer;
  }
}

type Timed<T> = { status: 'up'; latency_ms: number; value: T } | { status: 'down'; error: string };

async function timed<T>(check: () => Promise<T>): Promise<Timed<T>> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
    });
    const value = await Promise.race([check(), timeout]);
    return { status: 'up', latency_ms: Date.now() - started, value };
  } catch (err) {
    return { status: 'down', error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

function strip<T>(r: Timed<T>): Check {
  return r.status === 'up' ? { status: 'up', latency_ms: r.latency_ms } : r;
}

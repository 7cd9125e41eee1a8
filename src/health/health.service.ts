import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { DataSource } from 'typeorm';
import packageJson from '../../package.json';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { TEMPORAL_CLIENT } from '../temporal/temporal.module';
import { tofuTaskQueue } from '../../workflows/provision-environment.types';

const CHECK_TIMEOUT_MS = 3000;

export type CheckResult = { status: 'up'; latency_ms: number } | { status: 'down'; error: string };

/** One task queue as Temporal sees it: who polls it and how much waits in it. */
export interface QueueState {
  name: string;
  type: 'workflow' | 'activity';
  /** Distinct worker identities that polled it recently. */
  pollers: number;
  /** Tasks waiting for a worker (approximate, from the server's stats). */
  backlog: number;
}

/** What GET /api/v1/health answers. */
export interface HealthReport {
  status: 'ok' | 'degraded' | 'unhealthy';
  database: CheckResult;
  queue: CheckResult & { name: string };
  /** Worker processes polling the workflow task queue. */
  workers: number;
  /** The workflow queue, and the activity queues of quick steps and of tofu steps. */
  queues: QueueState[];
  version: string;
  timestamp: string;
}

/** What GET /api/v1/health/ready answers: whether this replica should get traffic, and why not. */
export interface ReadinessReport {
  ready: boolean;
  /** What is missing; empty when ready. */
  reasons: string[];
  report: HealthReport;
}

const VERSION: string = packageJson.version;

/** Real checks of Postgres and of Temporal (workers polling the task queue). */
@Injectable()
export class HealthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async report(): Promise<HealthReport> {
    const [database, queue] = await Promise.all([
      timed(() => this.db.query('SELECT 1')),
      timed(() => this.queueStates()),
    ]);
    const queues = queue.status === 'up' ? queue.value : [];
    const workers = queues[0]?.pollers ?? 0;
    const unpolled = queues.some((q) => q.pollers === 0);
    const status = database.status === 'down' || queue.status === 'down' ? 'unhealthy' : unpolled ? 'degraded' : 'ok';
    return {
      status,
      database: strip(database),
      queue: { ...strip(queue), name: this.config.temporal.taskQueue },
      workers,
      queues,
      version: VERSION,
      timestamp: new Date().toISOString(),
    };
  }

  /**
   * Ready when Postgres and Temporal answer and every task queue has a worker polling it: a
   * request accepted without workers would only wait.
   */
  async readiness(): Promise<ReadinessReport> {
    const report = await this.report();
    const reasons: string[] = [];
    if (report.database.status === 'down') reasons.push(`database: ${report.database.error}`);
    if (report.queue.status === 'down') reasons.push(`temporal: ${report.queue.error}`);
    for (const q of report.queues) if (q.pollers === 0) reasons.push(`no worker polls ${q.type} queue ${q.name}`);
    return { ready: reasons.length === 0, reasons, report };
  }

  /** The workflow queue, then the quick-activity and tofu-activity queues. */
  private queueStates(): Promise<QueueState[]> {
    const main = this.config.temporal.taskQueue;
    return Promise.all([
      this.describe(main, 'workflow'),
      this.describe(main, 'activity'),
      this.describe(tofuTaskQueue(main), 'activity'),
    ]);
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

function strip<T>(r: Timed<T>): CheckResult {
  return r.status === 'up' ? { status: 'up', latency_ms: r.latency_ms } : r;
}

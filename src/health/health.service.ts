import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { DataSource } from 'typeorm';
import packageJson from '../../package.json';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { TEMPORAL_CLIENT } from '../temporal/temporal.module';

const CHECK_TIMEOUT_MS = 3000;

export type CheckResult = { status: 'up'; latency_ms: number } | { status: 'down'; error: string };

/** What GET /api/v1/health answers. */
export interface HealthReport {
  status: 'ok' | 'degraded' | 'unhealthy';
  database: CheckResult;
  queue: CheckResult & { name: string };
  workers: number;
  version: string;
  timestamp: string;
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
      timed(() => this.pollerIdentities()),
    ]);
    const workers = queue.status === 'up' ? queue.value.size : 0;
    const status =
      database.status === 'down' || queue.status === 'down' ? 'unhealthy' : workers === 0 ? 'degraded' : 'ok';
    return {
      status,
      database: strip(database),
      queue: { ...strip(queue), name: this.config.temporal.taskQueue },
      workers,
      version: VERSION,
      timestamp: new Date().toISOString(),
    };
  }

  /** Identities of the workers polling the workflow task queue. */
  private async pollerIdentities(): Promise<Set<string>> {
    const res = await this.temporal.workflowService.describeTaskQueue({
      namespace: this.config.temporal.namespace,
      taskQueue: { name: this.config.temporal.taskQueue },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    return new Set((res.pollers ?? []).map((p) => p.identity ?? 'unknown'));
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

import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type Activities, type ActivityDeps } from '../../activities/create-activities';
import { driftTaskQueue, tofuTaskQueue } from '../../workflows/provision-environment.types';
import { engineDataConverter } from '../temporal/engine-data-converter';
import type { Tracing } from '../tracing/tracing';
import { jobLogInterceptors } from './job-log-attributes';

/** Options of one engine worker process. */
export interface EngineWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** What the activities use; or, to measure the workflows alone (bench/), stand-in activities. */
  deps: ActivityDeps | { standIns: Partial<Activities> };
  /** tofu activities this process runs at once (MAX_CONCURRENT_PROVISIONS). */
  maxConcurrentProvisions: number;
  /** Drift checks this process runs at once (DRIFT_CHECK_CONCURRENCY; default 1). */
  maxConcurrentDriftChecks?: number;
  /** How long a shutting-down worker lets running activities (an apply) finish. */
  shutdownGraceTime: string;
  identity?: string;
  /** Master key of the payload codec: workflow data is encrypted before it reaches Temporal. */
  encryptionKey: Buffer | readonly Buffer[];
  /** When set, workflows and activities continue the trace of whoever started the run. */
  tracing?: Tracing | null;
}

/**
 * Runs kept in the worker's workflow cache (least recently used out). A sleeping environment's
 * run is parked on its expiry timer for days: cached, each cost ~0.5 MiB of RSS for nothing.
 * Bounded, the parked runs are the first to go (nothing touches them), while the runs making
 * progress (at most MAX_CONCURRENT_PROVISIONS in tofu, a few more between steps) stay cached.
 * An evicted run is replayed from its history when its timer fires or a call reaches it
 * (bench/ measures that replay: tens of milliseconds).
 */
export const MAX_CACHED_WORKFLOWS = 100;

/** Read-model writes, notifications and other quick activities run at once on the main queue. */
const MAX_CONCURRENT_QUICK_ACTIVITIES = 50;

/**
 * Creates (does not run) the three workers of an engine process, on one connection: the main
 * one runs workflows and quick activities; the tofu one runs the tofu steps from their own
 * task queue, at most `maxConcurrentProvisions` at a time; the drift one runs drift checks
 * (refresh-only plans) from theirs, at most `maxConcurrentDriftChecks` at a time, so checks of
 * a large fleet never take the slots provisioning needs (ADR 28).
 */
export async function createEngineWorkers(opts: EngineWorkerOptions): Promise<Worker[]> {
  const shared = {
    connection: opts.connection,
    namespace: opts.namespace,
    activities: 'standIns' in opts.deps ? opts.deps.standIns : createActivities(opts.deps),
    dataConverter: engineDataConverter(opts.encryptionKey),
    shutdownGraceTime: opts.shutdownGraceTime as `${number} ${'seconds' | 'minutes'}`,
    ...(opts.identity ? { identity: opts.identity } : {}),
    ...observability(opts.tracing ?? null),
  };
  return Promise.all([
    Worker.create({
      ...shared,
      taskQueue: opts.taskQueue,
      workflowsPath: require.resolve('../../workflows'),
      maxCachedWorkflows: MAX_CACHED_WORKFLOWS,
      maxConcurrentActivityTaskExecutions: MAX_CONCURRENT_QUICK_ACTIVITIES,
    }),
    Worker.create({
      ...shared,
      taskQueue: tofuTaskQueue(opts.taskQueue),
      maxConcurrentActivityTaskExecutions: opts.maxConcurrentProvisions,
    }),
    Worker.create({
      ...shared,
      taskQueue: driftTaskQueue(opts.taskQueue),
      maxConcurrentActivityTaskExecutions: opts.maxConcurrentDriftChecks ?? 1,
    }),
  ]);
}

/** Log attributes of the job on every line, and OpenTelemetry interceptors when tracing is on. */
function observability(tracing: Tracing | null): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  const workflowModules = [require.resolve('../../workflows/job-log-attributes')];
  if (!tracing) return { interceptors: { workflowModules, activity: [jobLogInterceptors] } };
  return {
    interceptors: {
      workflowModules: [
        ...workflowModules,
        require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors'),
      ],
      activity: [
        jobLogInterceptors,
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer: tracing.tracer }),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
    },
    // Workflow code cannot export spans itself (no I/O in the sandbox): a sink does it.
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}

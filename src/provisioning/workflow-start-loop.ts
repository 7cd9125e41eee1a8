import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { TERMINAL_STATUSES, type JobStatus } from '../domain/job-state-machine';
import type { ProvisionRequest } from '../domain/provision-request';
import { provisioningWorkflowId } from '../domain/workflow-ids';
import { JobReader } from '../read-model/job-reader';
import { workflowSettings } from '../temporal/start-provisioning-workflow';
import { TEMPORAL_CLIENT } from '../temporal/temporal.module';
import { TemporalWorkflowDirectory, type WorkflowDirectory } from '../temporal/workflow-directory';

/** Workflow starts under way at once: a burst of submits becomes a steady stream of starts. */
export const MAX_CONCURRENT_STARTS = 8;
/** How long shutdown waits for accepted jobs to be started before leaving them to the sweep. */
const DRAIN_MS = 10_000;

/** An accepted job whose workflow is to be started. */
interface PendingStart {
  jobId: string;
  request: ProvisionRequest;
}

/** What the loop needs: Temporal's provisioning workflows and the status of a tenant's other job. */
export interface StartLoopDeps {
  directory: Pick<WorkflowDirectory, 'presence' | 'startProvisioning'>;
  /** The status of the tenant's newest job other than `jobId` (whose run may hold the workflow id). */
  otherJobStatus(tenantId: string, jobId: string): Promise<JobStatus | null>;
  warn(message: string): void;
}

/** Tries per job before it is left to the sweep, and the first wait between tries (it doubles). */
export interface StartLoopOptions {
  concurrency: number;
  attempts: number;
  firstRetryMs: number;
}

/**
 * Starts the workflows of accepted jobs off the request path (ADR 26): submit commits the row,
 * hands the job here and answers; at most `concurrency` starts run at once.
 * - A start that fails is tried again with a doubling wait; after `attempts` the row stays
 *   `queued` and the reconciliation sweep starts it (ADR 9, 11): nothing is lost.
 * - The tenant's previous run, only closing (its job is terminal), holds the workflow id for
 *   moments: that start is tried again like a failed one.
 * - This job's own run exists already (the sweep started it): done.
 * A workflow is only ever started for a committed row, so no run stands without a row.
 */
export class StartLoop {
  private readonly pending: PendingStart[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  protected stopping = false;

  constructor(
    private readonly deps: StartLoopDeps,
    private readonly opts: StartLoopOptions,
  ) {}

  /** Queues the start of a committed job's workflow; returns at once. */
  enqueue(jobId: string, request: ProvisionRequest): void {
    this.pending.push({ jobId, request });
    this.pump();
  }

  /** Jobs handed over and not yet started or left to the sweep. */
  get backlog(): number {
    return this.pending.length + this.inFlight.size;
  }

  /** Resolves when every job handed over so far has been started or left to the sweep. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.race(this.inFlight);
  }

  private pump(): void {
    while (this.inFlight.size < this.opts.concurrency && this.pending.length > 0) {
      const run: Promise<void> = this.start(this.pending.shift()!).finally(() => {
        this.inFlight.delete(run);
        this.pump();
      });
      this.inFlight.add(run);
    }
  }

  private async start({ jobId, request }: PendingStart): Promise<void> {
    let wait = this.opts.firstRetryMs;
    for (let attempt = 1; ; attempt += 1) {
      let reason: string;
      try {
        if ((await this.deps.directory.startProvisioning(jobId, request)) === 'started') return;
        // The tenant's workflow id is taken: by this job's own run, or by the previous run.
        if ((await this.deps.directory.presence(provisioningWorkflowId(request.tenant_id), jobId)) !== 'missing')
          return;
        const other = await this.deps.otherJobStatus(request.tenant_id, jobId);
        if (other === null || !TERMINAL_STATUSES.includes(other)) {
          this.deps.warn(`job ${jobId}: a run of another job holds the tenant's workflow id; left to the sweep`);
          return;
        }
        reason = "the tenant's previous run is still closing";
      } catch (err) {
        reason = err instanceof Error ? err.message : String(err);
      }
      if (attempt >= this.opts.attempts || this.stopping) {
        this.deps.warn(`job ${jobId}: workflow start deferred to the reconciliation sweep: ${reason}`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait *= 2;
    }
  }
}

/** The gateway's start loop, on its Temporal client; drains for up to DRAIN_MS at shutdown. */
@Injectable()
export class WorkflowStartLoop extends StartLoop implements BeforeApplicationShutdown {
  private static readonly logger = new Logger('WorkflowStartLoop');

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(TEMPORAL_CLIENT) client: Client, reader: JobReader) {
    super(
      {
        directory: new TemporalWorkflowDirectory(client, {
          taskQueue: config.temporal.taskQueue,
          settings: workflowSettings(config),
        }),
        otherJobStatus: async (tenantId, jobId) =>
          (await reader.latestOtherJobOfTenant(tenantId, jobId))?.status ?? null,
        warn: (message) => WorkflowStartLoop.logger.warn(message),
      },
      // About 8 s of tries (0.25 + 0.5 + … + 4 s): a closing run is gone by then.
      { concurrency: MAX_CONCURRENT_STARTS, attempts: 6, firstRetryMs: 250 },
    );
  }

  // Before the connections close (they close on application shutdown).
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, DRAIN_MS)));
    await Promise.race([this.idle(), late]);
    clearTimeout(timer);
    if (this.backlog > 0)
      WorkflowStartLoop.logger.warn(`${this.backlog} accepted jobs not started at shutdown: the sweep starts them`);
  }
}

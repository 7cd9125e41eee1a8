import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { GcsArtifactStore } from '../../activities/artifacts/artifact-store';
import { GcsStateStore } from '../../activities/state/gcs-state-store';
import { PgStateStore } from '../../activities/state/pg-state-store';
import { statePassphrases } from '../../activities/state/state-encryption';
import { gcsStorage } from '../../activities/state/gcs-storage';
import { SecretBox } from '../crypto/secret-box';
import { PersonalDataVault } from '../read-model/personal-data-vault';
import { JobWriter } from '../read-model/job-writer';
import { engineDataConverter } from '../temporal/engine-data-converter';
import { ReconciliationStore } from '../read-model/reconciliation-store';
import { workflowSettings } from '../temporal/start-provisioning-workflow';
import { TemporalWorkflowDirectory } from '../temporal/workflow-directory';
import { temporalConnectionOptions } from '../temporal/connection-options';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { FleetFactsReader } from '../read-model/fleet-facts';
import type { Tracing } from '../tracing/tracing';
import { createEngineWorkers } from './create-worker';
import { MetricsServer } from './metrics-server';
import { workersReadiness } from './workers-readiness';
import { sdkMetricsAddress } from './temporal-runtime';
import { WorkerMetrics } from './worker-metrics';
import { ensureReconciliationSchedule } from './reconciliation-schedule';

/** Injection token of the process's tracing (null: off). */
export const WORKER_TRACING = Symbol('WORKER_TRACING');

/**
 * Runs one Temporal worker for the life of the process: started when the application has
 * bootstrapped, drained and awaited when it shuts down (SIGTERM).
 */
@Injectable()
export class WorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private connection?: NativeConnection;
  private client?: Client;
  private workers: Worker[] = [];
  private running?: Promise<void>;
  private metricsServer?: MetricsServer;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobWriter,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(WORKER_TRACING) private readonly tracing: Tracing | null,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { temporal, tofu, worker } = this.config;
    const metrics = await this.startMetrics();
    this.connection = await NativeConnection.connect(temporalConnectionOptions(temporal));
    this.client = new Client({
      connection: this.connection,
      namespace: temporal.namespace,
      dataConverter: engineDataConverter(this.config.encryptionKeys),
    });
    await ensureReconciliationSchedule(this.client, { taskQueue: temporal.taskQueue, ...this.config.reconciliation });
    this.workers = await createEngineWorkers({
      connection: this.connection,
      namespace: temporal.namespace,
      taskQueue: temporal.taskQueue,
      maxConcurrentProvisions: worker.maxConcurrentProvisions,
      maxConcurrentDriftChecks: worker.maxConcurrentDriftChecks,
      shutdownGraceTime: `${worker.provisioningTimeoutSeconds} seconds`,
      encryptionKey: this.config.encryptionKeys,
      tracing: this.tracing,
      deps: {
        metrics,
        jobs: this.jobs,
        state: this.stateStore(),
        artifacts: this.config.artifacts
          ? new GcsArtifactStore(gcsStorage(this.config.artifacts.emulatorEndpoint), this.config.artifacts.bucket)
          : undefined,
        reconciliation: new ReconciliationStore(this.db, PersonalDataVault.fromKeys(this.config.encryptionKeys)),
        workflows: new TemporalWorkflowDirectory(this.client, {
          taskQueue: temporal.taskQueue,
          settings: workflowSettings(this.config),
        }),
        credentialsBox: SecretBox.derive(this.config.encryptionKeys, 'access-credentials'),
        webhook: {
          url: this.config.notify.webhookUrl,
          secret: this.config.notify.webhookSecret,
          timeoutMs: this.config.notify.timeoutSeconds * 1000,
        },
        tofu: {
          binary: tofu.binary,
          terraformDir: tofu.terraformDir,
          stack: tofu.stack,
          projectId: tofu.projectId,
          workspaceRoot: tofu.workspaceRoot,
          environmentRoot: tofu.environmentRoot,
          killGraceSeconds: tofu.killGraceSeconds,
          providers: tofu.providers,
          stateBackend: tofu.state,
          stateEncryption: { passphrases: statePassphrases(this.config.encryptionKeys), kmsKeyName: tofu.stateKmsKey },
          simulation: tofu.simulation,
        },
      },
    });
    // run() resolves only after shutdown; a rejection means a worker died: stop the process so
    // that its supervisor restarts it (the shutdown hook drains the other worker).
    const runs = this.workers.map((w) =>
      w.run().catch((err: unknown) => {
        this.logger.error(`worker stopped with an error: ${(err as Error).message}`);
        process.exitCode = 1;
        process.kill(process.pid, 'SIGTERM');
      }),
    );
    this.running = Promise.all(runs).then(() => undefined);
    this.logger.log(
      `polling task queues ${this.workers.map((w) => w.options.taskQueue).join(', ')} on ${temporal.address}`,
    );
  }

  /** The store the engine removes and lists tofu state with, on the configured backend. */
  private stateStore(): PgStateStore | GcsStateStore {
    const state = this.config.tofu.state;
    const passphrases = statePassphrases(this.config.encryptionKeys);
    return state.kind === 'gcs'
      ? new GcsStateStore(gcsStorage(state.emulatorEndpoint), state.bucket, state.prefix, passphrases)
      : new PgStateStore(this.db, passphrases);
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    this.logger.log(`shutting down${signal ? ` on ${signal}` : ''}: letting running activities finish`);
    for (const w of this.workers) if (w.getState() === 'RUNNING') w.shutdown();
    await this.running;
    await this.connection?.close();
    await this.metricsServer?.close();
    // Export the spans of the drained activities before the process exits.
    await this.tracing?.shutdown();
  }

  /** The worker's metrics, served on METRICS_PORT; a port it cannot bind is logged, not fatal. */
  private async startMetrics(): Promise<WorkerMetrics> {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const facts = new FleetFactsReader(this.db);
    const metrics = new WorkerMetrics(
      registry,
      (jobId) => facts.jobLabels(jobId),
      (err) => this.logger.warn(`a job's end was not counted: ${(err as Error).message}`),
    );
    const { metricsPort } = this.config.observability;
    if (metricsPort > 0) {
      const sdk = sdkMetricsAddress(this.config);
      this.metricsServer = new MetricsServer(registry, sdk ? `http://${sdk}/metrics` : null, () =>
        workersReadiness(this.workers),
      );
      try {
        await this.metricsServer.listen(metricsPort, this.config.http.host);
        this.logger.log(`metrics on ${this.config.http.host}:${metricsPort}/metrics`);
      } catch (err) {
        this.logger.error(`metrics not served: port ${metricsPort}: ${(err as Error).message}`);
      }
    }
    return metrics;
  }
}

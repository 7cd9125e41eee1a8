import 'reflect-metadata';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { decodeOptionalFailureToOptionalError, loadDataConverter } from '@temporalio/common/lib/internal-non-workflow';
import type { temporal } from '@temporalio/proto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import type { ActivityDeps } from '../../activities/create-activities';
import { PgStateStore } from '../../activities/state/pg-state-store';
import { statePassphrases } from '../../activities/state/state-encryption';
import type { ProvisionRequest } from '../../src/domain/provision-request';
import { provisioningWorkflowId } from '../../src/domain/workflow-ids';
import type { WorkflowSettings } from '../../workflows/provision-environment.types';
import { dataSourceOptions } from '../../src/persistence/data-source-options';
import { JobWriter } from '../../src/read-model/job-writer';
import { ReconciliationStore } from '../../src/read-model/reconciliation-store';
import { startProvisioningWorkflow } from '../../src/temporal/start-provisioning-workflow';
import type { WorkflowDirectory } from '../../src/temporal/workflow-directory';
import type { Tracing } from '../../src/tracing/tracing';
import { createEngineWorkers } from '../../src/worker/create-worker';
import { projectRoot, providerMirrorPath, toolPath } from '../../scripts/stack/project-paths';
import { engineDataConverter } from '../../src/temporal/engine-data-converter';
import { SecretBox } from '../../src/crypto/secret-box';
import { TEST_ENCRYPTION_KEY, testEnv } from './test-env';

/** A connected read-model DataSource on the test database. */
export async function openDatabase(): Promise<DataSource> {
  const db = new DataSource(dataSourceOptions(testEnv('databaseUrl')));
  return db.initialize();
}

/** A Temporal client on the test dev server. */
export async function openTemporalClient(): Promise<Client> {
  return new Client({
    connection: await Connection.connect({ address: testEnv('temporalAddress') }),
    dataConverter: testDataConverter(),
  });
}

/** The payload codec of the engine, with the test key. */
export function testDataConverter() {
  return engineDataConverter(Buffer.from(TEST_ENCRYPTION_KEY, 'base64'));
}

/** Folders of one test file: workspaces and the local stack's simulated cloud. */
export function testFolders(name: string) {
  const base = join(testEnv('runDir'), name);
  return { workspaceRoot: join(base, 'workspaces'), environmentRoot: join(base, 'environments') };
}

/** Workflow settings of the runs tests start: short tofu timeouts. */
export const TEST_WORKFLOW_SETTINGS: WorkflowSettings = { tofuTimeoutSeconds: 120, retryAttempts: 5 };

/** Test wiring for workers whose tests never run the reconciliation sweep (it needs a client). */
const NO_WORKFLOW_DIRECTORY: WorkflowDirectory = {
  presence: () => Promise.reject(new Error('this test gave its worker no Temporal client')),
  requestDestroy: () => Promise.reject(new Error('this test gave its worker no Temporal client')),
  startProvisioning: () => Promise.reject(new Error('this test gave its worker no Temporal client')),
};

/** The passphrases tofu state is encrypted with in tests (from the test master key). */
export const TEST_STATE_PASSPHRASES = statePassphrases([Buffer.from(TEST_ENCRYPTION_KEY, 'base64')]);

/** The real activity dependencies: real tofu, real Postgres (state and read model). */
export function realActivityDeps(
  db: DataSource,
  name: string,
  simulate: Partial<ActivityDeps['tofu']['simulation']> = {},
  webhook: ActivityDeps['webhook'] = { timeoutMs: 5000 },
  workflows: WorkflowDirectory = NO_WORKFLOW_DIRECTORY,
): ActivityDeps {
  return {
    jobs: new JobWriter(db),
    state: new PgStateStore(db, TEST_STATE_PASSPHRASES),
    reconciliation: new ReconciliationStore(db),
    workflows,
    credentialsBox: SecretBox.derive(Buffer.from(TEST_ENCRYPTION_KEY, 'base64'), 'access-credentials'),
    webhook,
    tofu: {
      binary: toolPath('tofu'),
      terraformDir: join(projectRoot(), 'terraform'),
      stack: 'local',
      ...testFolders(name),
      killGraceSeconds: 10,
      // The mirror `npm run tools` builds the local cloud's provider into, as production's
      // image mirror: every test worker's inits read it at once, without a lock.
      providers: { kind: 'mirror', dir: providerMirrorPath() },
      stateBackend: { kind: 'pg', databaseUrl: testEnv('databaseUrl') },
      stateEncryption: { passphrases: TEST_STATE_PASSPHRASES },
      simulation: { applyDelaySeconds: 0, failResource: '', transientFailures: 0, ...simulate },
    },
  };
}

/** The same deps with tofu state in the Postgres database at `url` (a test's own database). */
export function withStateDatabase(deps: ActivityDeps, url: string): ActivityDeps {
  return { ...deps, tofu: { ...deps.tofu, stateBackend: { kind: 'pg', databaseUrl: url } } };
}

/** A running engine worker process's workers and the means to stop them (awaiting their runs). */
export interface RunningWorker {
  workers: Worker[];
  stop(): Promise<void>;
}

export async function startWorker(
  taskQueue: string,
  deps: ActivityDeps,
  opts: { maxConcurrentProvisions?: number; tracing?: Tracing | null } = {},
): Promise<RunningWorker> {
  const connection = await NativeConnection.connect({ address: testEnv('temporalAddress') });
  const workers = await createEngineWorkers({
    connection,
    namespace: 'default',
    taskQueue,
    deps,
    maxConcurrentProvisions: opts.maxConcurrentProvisions ?? 4,
    shutdownGraceTime: '10 seconds',
    encryptionKey: Buffer.from(TEST_ENCRYPTION_KEY, 'base64'),
    tracing: opts.tracing,
  });
  const running = Promise.all(workers.map((w) => w.run()));
  return {
    workers,
    async stop() {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await running;
      await connection.close();
    },
  };
}

/** Polls `read` until `done` holds for its value; fails with the last value after `timeoutMs`. */
export async function eventually<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!done(last)) {
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 200));
    last = await read();
  }
  return last;
}

export { ALL_RESOURCES, liveResources } from './local-cloud';

/** Records the job and starts its workflow, as the gateway does. */
export async function startProvisioningRun(
  db: DataSource,
  client: Client,
  taskQueue: string,
  request: ProvisionRequest,
  settings: Partial<WorkflowSettings> = {},
) {
  const jobId = randomUUID();
  const workflowId = provisioningWorkflowId(request.tenant_id);
  await new JobWriter(db).insertQueued({ jobId, workflowId, request });
  const handle = await startProvisioningWorkflow(
    client,
    { taskQueue, settings: { ...TEST_WORKFLOW_SETTINGS, ...settings } },
    jobId,
    request,
  );
  return { jobId, handle };
}

/** Resources recorded in a tenant's tofu state; null when its state has been removed. */
export async function stateResourceCount(db: DataSource, tenantId: string): Promise<number | null> {
  const state = (await new PgStateStore(db, TEST_STATE_PASSPHRASES).list()).find(
    (s) => s.tenantId === tenantId.toLowerCase(),
  );
  return state ? state.resources : null;
}

/** The attempt number of every activity task a run started, from its history. */
export async function activityAttempts(handle: { fetchHistory(): Promise<{ events?: unknown[] | null }> }) {
  const { events } = await handle.fetchHistory();
  return ((events ?? []) as Array<{ activityTaskStartedEventAttributes?: { attempt?: number | null } | null }>).flatMap(
    (e) => (e.activityTaskStartedEventAttributes ? [e.activityTaskStartedEventAttributes.attempt ?? 1] : []),
  );
}

/** An activity that was retried: its last attempt and why the attempt before it failed. */
export interface ActivityRetry {
  /** The activity's name (tofuApply...). */
  activity: string | undefined;
  /** The number of its last attempt. */
  attempt: number;
  /** The failure's code (ApplicationFailure type: TOFU_TRANSIENT...). */
  type: string | undefined;
  message: string | undefined;
  /** The failure's details as JSON (tofu's diagnostics). */
  details: string;
}

/**
 * Every activity of a run that needed more than one attempt, from its history (what the Web UI
 * shows): Temporal records one started event per activity, its last attempt's, with the failure
 * of the attempt before. Failures are sealed there: read through the engine's data converter, as
 * the Web UI reads them through the codec server.
 */
export async function activityRetries(handle: WorkflowHandle): Promise<ActivityRetry[]> {
  const converter = loadDataConverter(testDataConverter());
  const events: temporal.api.history.v1.IHistoryEvent[] = (await handle.fetchHistory()).events ?? [];
  const activityOf = new Map(
    events.flatMap((e) =>
      e.activityTaskScheduledEventAttributes
        ? [[String(e.eventId), e.activityTaskScheduledEventAttributes.activityType?.name]]
        : [],
    ),
  );
  const retried = events.flatMap((e) => {
    const started = e.activityTaskStartedEventAttributes;
    return started && (started.attempt ?? 1) > 1 ? [started] : [];
  });
  return Promise.all(
    retried.map(async (a) => {
      const failure = await decodeOptionalFailureToOptionalError(converter, a.lastFailure);
      const app = failure instanceof ApplicationFailure ? failure : undefined;
      return {
        activity: activityOf.get(String(a.scheduledEventId)) ?? undefined,
        attempt: a.attempt ?? 1,
        type: app?.type ?? undefined,
        message: failure?.message,
        details: JSON.stringify(app?.details ?? null),
      };
    }),
  );
}

/** Runs an activity outside a worker, as one attempt of it (heartbeats go nowhere). */
export const runActivityStep = <R>(fn: () => Promise<R>, startToCloseTimeoutMs = 300_000) =>
  new MockActivityEnvironment({ startToCloseTimeoutMs, currentAttemptScheduledTimestampMs: Date.now() }).run<
    [],
    R,
    () => Promise<R>
  >(fn);

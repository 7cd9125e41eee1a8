import type { DataSource } from 'typeorm';
import type { ActivityDeps } from '../../activities/create-activities';
import { startGateway, type TestGateway } from './gateway';
import { openDatabase, realActivityDeps, startWorker, type RunningWorker } from './test-stack';

/** The whole engine of an e2e test: the read model's database, a gateway and a worker on one task queue. */
export interface RunningEngine {
  db: DataSource;
  gateway: TestGateway;
  worker: RunningWorker;
  /** Stops the worker, then the gateway, then closes the database (what started last stops first). */
  stop(): Promise<void>;
}

/**
 * Starts a gateway and a worker on `taskQueue` against the test stack (real Temporal dev server,
 * Postgres and tofu). `gatewayEnv` adds to the gateway's configuration; `deps` builds the
 * worker's activity dependencies (default: the real ones of this task queue).
 */
export async function startEngine(
  taskQueue: string,
  opts: { gatewayEnv?: Record<string, string>; deps?: (db: DataSource) => ActivityDeps } = {},
): Promise<RunningEngine> {
  const db = await openDatabase();
  const gateway = await startGateway(taskQueue, opts.gatewayEnv);
  const worker = await startWorker(taskQueue, (opts.deps ?? ((d) => realActivityDeps(d, taskQueue)))(db));
  return {
    db,
    gateway,
    worker,
    async stop() {
      await worker.stop();
      await gateway.close();
      await db.destroy();
    },
  };
}

import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../../activities/create-activities';
import { EncryptionCodec } from '../crypto/encryption-codec';

/** Options of one engine worker. */
export interface EngineWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** Bounds tofu and other activities running at once on this worker. */
  maxConcurrentActivities: number;
  /** How long a shutting-down worker lets running activities (an apply) finish. */
  shutdownGraceTime: string;
  identity?: string;
  /** Master key of the payload codec: workflow data is encrypted before it reaches Temporal. */
  encryptionKey: Buffer;
}

/** Creates (does not run) a worker with the engine's workflows and activities. */
export function createEngineWorker(opts: EngineWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    workflowsPath: require.resolve('../../workflows'),
    activities: createActivities(opts.deps),
    dataConverter: { payloadCodecs: [new EncryptionCodec(opts.encryptionKey)] },
    maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivities,
    shutdownGraceTime: opts.shutdownGraceTime as `${number} ${'seconds' | 'minutes'}`,
    ...(opts.identity ? { identity: opts.identity } : {}),
  });
}

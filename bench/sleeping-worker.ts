import 'reflect-metadata';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { Activities } from '../activities/create-activities';
import type { ProgressUpdate } from '../src/domain/progress-update';
import { createEngineWorkers } from '../src/worker/create-worker';

// An engine worker (the engine's own worker options and workflow code) whose activities are
// stand-ins that answer at once: it parks many runs on their expiry timer cheaply, so that the
// memory a sleeping environment costs the worker can be measured apart from tofu.
// Started by run-bench.ts with fork(): argv = Temporal address, task queue, base64 key.
// Tells its parent each run that reached `completed`; answers {rss} after a GC on 'measure'.

async function main(): Promise<void> {
  const [address, taskQueue, key] = process.argv.slice(2);
  // Thousands of runs: only warnings, not a line per activity.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  let completed = 0;
  const standIns: Partial<Activities> = {
    recordProgress: (u: ProgressUpdate) => {
      if (u.status === 'completed') process.send?.({ completed: ++completed });
      return Promise.resolve(true);
    },
    notify: () => Promise.resolve({ sent: false, reason: 'no webhook configured' }),
    createWorkspace: () => Promise.resolve({ workspace: '/nonexistent' }),
    tofuInit: () => Promise.resolve(),
    tofuPlan: () => Promise.resolve({ add: 3, change: 0, destroy: 0 }),
    tofuApply: () => Promise.resolve({ applied: 3 }),
    extractOutputs: () =>
      Promise.resolve({ resources: { vpc_network: 'vpc' }, endpoints: { api_endpoint: 'https://api.example' } }),
    issueCredentials: () => Promise.resolve({ username: 'bench-admin' }),
    tofuDestroy: () => Promise.resolve({ destroyed: 3 }),
    proveDeletion: () => Promise.resolve({ outcome: 'nothing_left' as const }),
    stateResources: () => Promise.resolve([]),
    cleanupWorkspace: () => Promise.resolve(),
    removeState: () => Promise.resolve(),
  };
  const connection = await NativeConnection.connect({ address });
  const workers = await createEngineWorkers({
    connection,
    namespace: 'default',
    taskQueue,
    deps: { standIns },
    maxConcurrentProvisions: 4,
    shutdownGraceTime: '5 seconds',
    encryptionKey: Buffer.from(key, 'base64'),
  });
  process.on('message', (msg) => {
    if (msg === 'measure') {
      (globalThis as { gc?: () => void }).gc?.();
      setTimeout(() => process.send?.({ rssKiB: Math.round(process.memoryUsage().rss / 1024) }), 500);
    }
    if (msg === 'stop') for (const w of workers) w.shutdown();
  });
  await Promise.all(workers.map((w) => w.run()));
  await connection.close();
  process.exit(0);
}

void main();

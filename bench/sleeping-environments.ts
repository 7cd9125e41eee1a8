import { Client, Connection } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { engineDataConverter } from '../src/temporal/engine-data-converter';
import { runStateQuery } from '../workflows/provision-environment.api';
import { PROVISION_WORKFLOW } from '../workflows/provision-environment.types';
import { aProvisionRequest } from './requests';
import { BENCH_ENCRYPTION_KEY, forkHelper, stopChild, type BenchStack } from './stack';

/** Worker RSS at each count of sleeping environments, the slope, and what answering a parked run costs. */
export interface SleepingReport {
  rssKiB: Record<string, number>;
  /** Growth of worker RSS per sleeping environment between the first and the last count. */
  slopeKiBPerEnvironment: number;
  /** The same between the last two counts: flat memory means this is near zero. */
  lastSlopeKiBPerEnvironment: number;
  /** A query to the run parked first (evicted when the cache is bounded: it is replayed) and to the last. */
  queryOldestMs: number;
  queryNewestMs: number;
}

/**
 * Parks runs of the real workflow on their expiry timer in an engine worker with stand-in
 * activities (bench/sleeping-worker.ts), and reads the worker's RSS after a GC at each count.
 */
export async function sleepingEnvironments(stack: BenchStack, counts: number[]): Promise<SleepingReport> {
  const taskQueue = `bench-sleeping-${Date.now()}`;
  const worker = forkHelper(
    'sleeping-worker.js',
    [stack.temporalAddress, taskQueue, BENCH_ENCRYPTION_KEY],
    ['--expose-gc'],
  );
  let completed = 0;
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  let rssAnswer: ((kib: number) => void) | null = null;
  worker.on('message', (m: { completed?: number; rssKiB?: number }) => {
    if (m.completed !== undefined) {
      completed = m.completed;
      for (const w of waiters.filter((x) => x.n <= completed)) w.resolve();
    }
    if (m.rssKiB !== undefined) rssAnswer?.(m.rssKiB);
  });
  const reached = (n: number) =>
    completed >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }));
  const rss = () =>
    new Promise<number>((resolve) => {
      rssAnswer = resolve;
      worker.send('measure');
    });

  const client = new Client({
    connection: await Connection.connect({ address: stack.temporalAddress }),
    dataConverter: engineDataConverter(Buffer.from(BENCH_ENCRYPTION_KEY, 'base64')),
  });
  const ids: string[] = [];
  const report: SleepingReport = {
    rssKiB: {},
    slopeKiBPerEnvironment: 0,
    lastSlopeKiBPerEnvironment: 0,
    queryOldestMs: 0,
    queryNewestMs: 0,
  };
  try {
    for (const count of counts) {
      while (ids.length < count) {
        const batch = Array.from({ length: Math.min(25, count - ids.length) }, () => `sleeping-${randomUUID()}`);
        await Promise.all(
          batch.map((workflowId) =>
            client.workflow.start(PROVISION_WORKFLOW, {
              workflowId,
              taskQueue,
              args: [
                {
                  jobId: randomUUID(),
                  request: aProvisionRequest(30 * 24 * 3600 * 1000),
                  settings: { tofuTimeoutSeconds: 60, retryAttempts: 3 },
                },
              ],
            }),
          ),
        );
        ids.push(...batch);
      }
      await reached(count);
      report.rssKiB[count] = await rss();
    }
    const slope = (a: number, b: number) => Math.round(((report.rssKiB[b] - report.rssKiB[a]) / (b - a)) * 10) / 10;
    report.slopeKiBPerEnvironment = slope(counts[0], counts.at(-1)!);
    report.lastSlopeKiBPerEnvironment = slope(counts.at(-2)!, counts.at(-1)!);
    report.queryOldestMs = await timedQuery(client, ids[0]);
    report.queryNewestMs = await timedQuery(client, ids.at(-1)!);
  } finally {
    await client.connection.close();
    worker.send('stop');
    await stopChild(worker);
  }
  return report;
}

async function timedQuery(client: Client, workflowId: string): Promise<number> {
  const t0 = performance.now();
  await client.workflow.getHandle(workflowId).query(runStateQuery);
  return Math.round((performance.now() - t0) * 10) / 10;
}

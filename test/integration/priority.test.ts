import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { Priority } from '../../src/domain/poc-tier';
import { JobReader } from '../../src/read-model/job-reader';
import { aProvisionRequest } from '../support/requests';
import {
  eventually,
  openDatabase,
  openTemporalClient,
  realActivityDeps,
  startProvisioningRun,
  startWorker,
  type RunningWorker,
} from '../support/test-stack';

// One worker that may run a single tofu step at a time (MAX_CONCURRENT_PROVISIONS=1), so tofu
// tasks queue up on the Temporal server; priority decides which is dispatched next.
describe('saturated workers', () => {
  let db: DataSource;
  let client: Client;
  let worker: RunningWorker;
  const name = 'priority';

  beforeAll(async () => {
    db = await openDatabase();
    client = await openTemporalClient();
    worker = await startWorker(name, realActivityDeps(db, name, { applyDelaySeconds: 1 }), {
      maxConcurrentProvisions: 1,
    });
  });
  afterAll(async () => {
    await worker.stop();
    await client.connection.close();
    await db.destroy();
  });

  it('run one tofu step at a time and let a critical request overtake a low one queued before it', async () => {
    const reader = new JobReader(db);
    const submit = (priority: Priority) => startProvisioningRun(db, client, name, { ...aProvisionRequest(), priority });

    const first = await submit('low');
    await eventually(
      () => reader.findJob(first.jobId),
      (j) => j?.currentStep === 'tofu_init',
    );
    const lows = [];
    for (let i = 0; i < 3; i += 1) lows.push(await submit('low'));
    // Every low request has reached its first tofu step (queued behind the one running) before
    // the critical one arrives: on a loaded machine a fixed pause did not make sure of that.
    for (const low of lows)
      await eventually(
        () => reader.findJob(low.jobId),
        (j) => j?.currentStep === 'tofu_init',
        120_000,
      );
    const critical = await submit('critical');

    const done = async (jobId: string) =>
      (await eventually(
        () => reader.findJob(jobId),
        (j) => j?.status === 'completed',
        120_000,
      ))!.completedAt!.getTime();
    const [criticalDone, ...lowsDone] = await Promise.all([critical, ...lows].map((r) => done(r.jobId)));
    // In arrival order the critical request would finish last; dispatch is not strictly ordered
    // while tasks are being scheduled, so ask only that it overtakes most of those before it.
    expect(lowsDone.filter((t) => t > criticalDone).length).toBeGreaterThanOrEqual(2);

    for (const run of [first, ...lows, critical]) await run.handle.terminate('test done');
  });
});

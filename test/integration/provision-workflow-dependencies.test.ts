import type { Client, WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Activities } from '../../activities/create-activities';
import type { ProgressUpdate } from '../../src/domain/progress-update';
import { destroyNowUpdate } from '../../workflows/provision-environment.api';
import { provisionEnvironment } from '../../workflows/provision-environment.workflow';
import { tofuTaskQueue } from '../../workflows/provision-environment.types';
import { aProvisionRequest } from '../support/requests';
import { testEnv } from '../support/test-env';
import { eventually, openTemporalClient, testDataConverter } from '../support/test-stack';

// The workflow on the real Temporal dev server with fake activities: the read model and the
// other dependencies here are fakes that fail as Postgres does (for data it cannot store, or
// because it is away), which the offline stack cannot make them do on cue.
describe('provisionEnvironment when its dependencies misbehave', () => {
  let client: Client;

  beforeAll(async () => {
    client = await openTemporalClient();
  });
  afterAll(() => client.connection.close());

  const ok =
    <T>(value?: T) =>
    () =>
      Promise.resolve(value as T);
  /** Fakes of every activity a run to `destroyed` needs; `over` replaces some. */
  const fakes = (over: Partial<Activities>): Partial<Activities> => ({
    notify: ok({ sent: false, reason: 'no webhook configured' } as const),
    createWorkspace: ok({ workspace: '/tmp/ws' }),
    tofuInit: ok(),
    tofuPlan: ok({ add: 3, change: 0, destroy: 0 }),
    tofuApply: ok({ applied: 3 }),
    extractOutputs: ok({ resources: {}, endpoints: {} }),
    issueCredentials: ok({ username: 'u' }),
    tofuDestroy: ok({ destroyed: 3 }),
    proveDeletion: ok({ outcome: 'nothing_left' } as const),
    cleanupWorkspace: ok(),
    removeState: ok(),
    ...over,
  });

  /** Runs one job on workers with `activities`; `steer` acts on the run while it goes. */
  async function run(
    name: string,
    activities: Partial<Activities>,
    steer: (handle: WorkflowHandle<typeof provisionEnvironment>) => Promise<void>,
  ) {
    const connection = await NativeConnection.connect({ address: testEnv('temporalAddress') });
    const common = { connection, activities, dataConverter: testDataConverter() };
    const workers = await Promise.all([
      Worker.create({ ...common, taskQueue: name, workflowsPath: require.resolve('../../workflows') }),
      Worker.create({ ...common, taskQueue: tofuTaskQueue(name) }),
    ]);
    const running = Promise.all(workers.map((w) => w.run()));
    try {
      const request = aProvisionRequest({ expiresInMs: 3600_000 });
      const handle = await client.workflow.start(provisionEnvironment, {
        taskQueue: name,
        workflowId: `${name}-${request.tenant_id}`,
        args: [{ jobId: `job-${name}`, request, settings: { tofuTimeoutSeconds: 60, retryAttempts: 2 } }],
      });
      await steer(handle);
      return await handle.result();
    } finally {
      for (const w of workers) w.shutdown();
      await running;
      await connection.close();
    }
  }

  it('records a step the read model refuses for its data once without its text, and goes on to destroy', async () => {
    const MARKER = 'REFUSED-BY-THE-DATABASE';
    const applied: ProgressUpdate[] = [];
    const refused: ProgressUpdate[] = [];
    const recordProgress = (u: ProgressUpdate) => {
      if (u.message.includes(MARKER)) {
        refused.push(u);
        return Promise.reject(
          ApplicationFailure.create({ type: 'DATA_REJECTED', message: 'refused', nonRetryable: true }),
        );
      }
      applied.push(u);
      return Promise.resolve(true);
    };

    const outcome = await run('bad-data', fakes({ recordProgress }), async (handle) => {
      await eventually(
        () => Promise.resolve(applied.map((u) => u.status)),
        (statuses) => statuses.includes('completed'),
      );
      await handle.executeUpdate(destroyNowUpdate, { args: [{ reason: MARKER }] });
    });

    expect(outcome).toEqual({ outcome: 'destroyed', jobId: 'job-bad-data' });
    // The refused write was tried once, then recorded without its text under the same seq.
    expect(refused).toHaveLength(1);
    const plain = applied.find((u) => u.seq === refused[0]?.seq);
    expect(plain).toMatchObject({ status: 'destroying', step: 'tofu_destroy', kind: 'step' });
    expect(plain?.message).toMatch(/recorded without its message/);
    expect(applied.at(-1)).toMatchObject({ status: 'destroyed' });
    expect(applied.map((u) => u.seq)).toEqual([...applied.map((u) => u.seq)].sort((a, b) => a - b));
  });

  it('waits out a database that refuses connections for more attempts than a tofu step gets, and does not fail the job', async () => {
    // Each dependency-bound step fails twice, and so needs a third attempt where a tofu step gets
    // two (retryAttempts), before the database is back; so does the first read-model write.
    const outage = new Map<string, number>();
    const away =
      <T>(step: string, value: T) =>
      () => {
        const failures = outage.get(step) ?? 0;
        if (failures < 2) {
          outage.set(step, failures + 1);
          return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
        }
        return Promise.resolve(value);
      };
    const statuses: string[] = [];
    const firstWrite = away('recordProgress', true);
    const recordProgress = async (u: ProgressUpdate) => {
      if (u.seq === 1) await firstWrite();
      statuses.push(u.status);
      return true;
    };

    const outcome = await run(
      'db-away',
      fakes({
        recordProgress,
        extractOutputs: away('extractOutputs', { resources: {}, endpoints: {} }),
        issueCredentials: away('issueCredentials', { username: 'u' }),
        removeState: away('removeState', undefined),
      }),
      async (handle) => {
        await eventually(
          () => Promise.resolve(statuses),
          (s) => s.includes('completed'),
          150_000,
        );
        await handle.executeUpdate(destroyNowUpdate, { args: [{}] });
      },
    );

    expect(outcome).toEqual({ outcome: 'destroyed', jobId: 'job-db-away' });
    expect(statuses).not.toContain('failed');
    expect(Object.fromEntries(outage)).toEqual({
      recordProgress: 2,
      extractOutputs: 2,
      issueCredentials: 2,
      removeState: 2,
    });
  }, 240_000);
});

import type { Client } from '@temporalio/client';
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

// The workflow on the real Temporal dev server with fake activities: the read model here is a
// fake that refuses, as Postgres does for data it cannot store, every write holding a marker.
describe('provisionEnvironment when the read model refuses a write for its data', () => {
  let client: Client;

  beforeAll(async () => {
    client = await openTemporalClient();
  });
  afterAll(() => client.connection.close());

  it('records the step without its text, once, and goes on to destroy the environment', async () => {
    const MARKER = 'REFUSED-BY-THE-DATABASE';
    const applied: ProgressUpdate[] = [];
    const refused: ProgressUpdate[] = [];
    const calls: string[] = [];
    const ok =
      <T>(name: string, value?: T) =>
      () => {
        calls.push(name);
        return Promise.resolve(value as T);
      };
    const activities: Partial<Activities> = {
      recordProgress: (u: ProgressUpdate) => {
        if (u.message.includes(MARKER)) {
          refused.push(u);
          return Promise.reject(
            ApplicationFailure.create({ type: 'DATA_REJECTED', message: 'refused', nonRetryable: true }),
          );
        }
        applied.push(u);
        return Promise.resolve(true);
      },
      notify: () => Promise.resolve({ sent: false, reason: 'no webhook configured' }),
      createWorkspace: ok('createWorkspace', { workspace: '/tmp/ws' }),
      tofuInit: ok('tofuInit'),
      tofuPlan: ok('tofuPlan', { add: 3, change: 0, destroy: 0 }),
      tofuApply: ok('tofuApply', { applied: 3 }),
      extractOutputs: ok('extractOutputs', { resources: {}, endpoints: {} }),
      issueCredentials: ok('issueCredentials', { username: 'u' }),
      tofuDestroy: ok('tofuDestroy', { destroyed: 3 }),
      cleanupWorkspace: ok('cleanupWorkspace'),
      removeState: ok('removeState'),
    };
    const taskQueue = 'bad-data';
    const connection = await NativeConnection.connect({ address: testEnv('temporalAddress') });
    const common = { connection, activities, dataConverter: testDataConverter() };
    const workers = await Promise.all([
      Worker.create({ ...common, taskQueue, workflowsPath: require.resolve('../../workflows') }),
      Worker.create({ ...common, taskQueue: tofuTaskQueue(taskQueue) }),
    ]);
    const running = Promise.all(workers.map((w) => w.run()));

    const request = aProvisionRequest({ expiresInMs: 3600_000 });
    const handle = await client.workflow.start(provisionEnvironment, {
      taskQueue,
      workflowId: `bad-data-${request.tenant_id}`,
      args: [{ jobId: 'job-bad-data', request, settings: { tofuTimeoutSeconds: 60, retryAttempts: 1 } }],
    });
    await eventually(
      () => Promise.resolve(applied.map((u) => u.status)),
      (statuses) => statuses.includes('completed'),
    );
    await handle.executeUpdate(destroyNowUpdate, { args: [{ reason: MARKER }] });
    const outcome = await handle.result();
    for (const w of workers) w.shutdown();
    await running;
    await connection.close();

    expect(outcome).toEqual({ outcome: 'destroyed', jobId: 'job-bad-data' });
    expect(calls).toContain('tofuDestroy');
    // The refused write was tried once, then recorded without its text under the same seq.
    expect(refused).toHaveLength(1);
    const plain = applied.find((u) => u.seq === refused[0]?.seq);
    expect(plain).toMatchObject({ status: 'destroying', step: 'tofu_destroy', kind: 'step' });
    expect(plain?.message).toMatch(/recorded without its message/);
    expect(applied.at(-1)).toMatchObject({ status: 'destroyed' });
    expect(applied.map((u) => u.seq)).toEqual([...applied.map((u) => u.seq)].sort((a, b) => a - b));
  });
});

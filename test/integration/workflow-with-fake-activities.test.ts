import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Activities } from '../../activities/create-activities';
import type { ProgressUpdate } from '../../src/domain/progress-update';
import { aProvisionRequest } from '../support/requests';
import { testEnv } from '../support/test-env';
import { openTemporalClient, testDataConverter } from '../support/test-stack';
import { provisionEnvironment } from '../../workflows/provision-environment.workflow';
import { tofuTaskQueue } from '../../workflows/provision-environment.types';

// The workflow on the real Temporal dev server, with fake activities: a destroy that fails for
// good cannot be produced with the offline local stack, and this is what must happen then.
describe('provisionEnvironment with fake activities', () => {
  let client: Client;

  beforeAll(async () => {
    client = await openTemporalClient();
  });
  afterAll(() => client.connection.close());

  it('keeps workspace and state and reports compensation as incomplete when the destroy fails', async () => {
    const calls: string[] = [];
    const updates: ProgressUpdate[] = [];
    const ok = (name: string, value?: unknown) => () => {
      calls.push(name);
      return Promise.resolve(value);
    };
    const fail = (name: string, type: string) => () => {
      calls.push(name);
      return Promise.reject(ApplicationFailure.create({ type, message: `${name} failed`, nonRetryable: true }));
    };
    const activities: Partial<Activities> = {
      recordProgress: (u: ProgressUpdate) => {
        updates.push(u);
        return Promise.resolve(true);
      },
      notify: () => Promise.resolve({ sent: false, reason: 'no webhook configured' }),
      createWorkspace: ok('createWorkspace', { workspace: '/tmp/ws' }) as Activities['createWorkspace'],
      tofuInit: ok('tofuInit') as Activities['tofuInit'],
      tofuPlan: ok('tofuPlan', { add: 3, change: 0, destroy: 0 }) as Activities['tofuPlan'],
      tofuApply: fail('tofuApply', 'TOFU_RESOURCE_FAILED') as Activities['tofuApply'],
      tofuDestroy: fail('tofuDestroy', 'TOFU_CONFIGURATION_INVALID') as Activities['tofuDestroy'],
      cleanupWorkspace: ok('cleanupWorkspace') as Activities['cleanupWorkspace'],
      removeState: ok('removeState') as Activities['removeState'],
      stateResources: () => Promise.resolve(['module.poc.terraform_data.vpc_network']),
    };
    const taskQueue = 'fake-activities';
    const connection = await NativeConnection.connect({ address: testEnv('temporalAddress') });
    const common = { connection, activities, dataConverter: testDataConverter() };
    const workers = await Promise.all([
      Worker.create({ ...common, taskQueue, workflowsPath: require.resolve('../../workflows') }),
      Worker.create({ ...common, taskQueue: tofuTaskQueue(taskQueue) }),
    ]);

    const request = aProvisionRequest();
    const execution = client.workflow.execute(provisionEnvironment, {
      taskQueue,
      workflowId: `fake-${request.tenant_id}`,
      args: [{ jobId: 'job-1', request, settings: { tofuTimeoutSeconds: 60, retryAttempts: 1 } }],
    });
    const [result] = await Promise.all(workers.map((w) => w.runUntil(execution)));
    await connection.close();

    expect(result).toMatchObject({ outcome: 'failed', code: 'TOFU_RESOURCE_FAILED' });
    expect(calls).toEqual(['createWorkspace', 'tofuInit', 'tofuPlan', 'tofuApply', 'tofuDestroy']);
    const last = updates.at(-1);
    expect(last).toMatchObject({ status: 'failed', kind: 'failed' });
    expect(last?.kind === 'failed' && last.error.details).toMatchObject({
      compensation: 'incomplete',
      compensation_error: 'tofuDestroy failed',
      resources_left: ['module.poc.terraform_data.vpc_network'],
    });
  });
});

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
    const failed = (name: string, type: string) => () => Promise.reject(coded(type, `${name} failed`, true));
    const { result, calls, updates } = await runWith(
      'destroy-fails',
      {
        tofuApply: failed('tofuApply', 'TOFU_RESOURCE_FAILED'),
        tofuDestroy: failed('tofuDestroy', 'TOFU_CONFIGURATION_INVALID'),
      },
      { stateResources: () => Promise.resolve(['module.poc.terraform_data.vpc_network']) },
    );

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

  /**
   * Runs one provisioning with fake activities on their own task queues: `overrides` replace the
   * tofu and workspace steps (each call recorded in `calls`), `untracked` any other activity.
   * Returns the result, the calls and the read-model updates.
   */
  async function runWith(name: string, overrides: Partial<Activities>, untracked: Partial<Activities> = {}) {
    const calls: string[] = [];
    const updates: ProgressUpdate[] = [];
    const track = (activity: string, fn: () => Promise<unknown>) => () => {
      calls.push(activity);
      return fn();
    };
    const activities: Partial<Activities> = {
      recordProgress: (u: ProgressUpdate) => {
        updates.push(u);
        return Promise.resolve(true);
      },
      notify: () => Promise.resolve({ sent: false, reason: 'no webhook configured' }),
      stateResources: () => Promise.resolve([]),
      proveDeletion: () => Promise.resolve({ outcome: 'nothing_left' as const }),
      ...untracked,
      ...Object.fromEntries(
        Object.entries({
          createWorkspace: () => Promise.resolve({ workspace: '/tmp/ws' }),
          tofuInit: () => Promise.resolve(),
          tofuPlan: () => Promise.resolve({ add: 3, change: 0, destroy: 0 }),
          tofuApply: () => Promise.resolve({ applied: 3 }),
          tofuDestroy: () => Promise.resolve({ destroyed: 3 }),
          cleanupWorkspace: () => Promise.resolve(),
          removeState: () => Promise.resolve(),
          ...overrides,
        }).map(([activity, fn]) => [activity, track(activity, fn as () => Promise<unknown>)]),
      ),
    };
    const taskQueue = `fake-${name}`;
    const connection = await NativeConnection.connect({ address: testEnv('temporalAddress') });
    const common = { connection, activities, dataConverter: testDataConverter() };
    const workers = await Promise.all([
      Worker.create({ ...common, taskQueue, workflowsPath: require.resolve('../../workflows') }),
      Worker.create({ ...common, taskQueue: tofuTaskQueue(taskQueue) }),
    ]);
    const request = aProvisionRequest();
    const execution = client.workflow.execute(provisionEnvironment, {
      taskQueue,
      workflowId: `fake-${name}-${request.tenant_id}`,
      args: [{ jobId: `job-${name}`, request, settings: { tofuTimeoutSeconds: 60, retryAttempts: 1 } }],
    });
    try {
      const [result] = await Promise.all(workers.map((w) => w.runUntil(execution)));
      return { result, calls, updates, workflowId: `fake-${name}-${request.tenant_id}` };
    } finally {
      await connection.close();
    }
  }

  const coded = (type: string, message: string, nonRetryable: boolean) =>
    ApplicationFailure.create({ type, message, nonRetryable });

  it("runs a tofu step again when its state backend stayed away for a whole attempt, using none of tofu's attempts", async () => {
    // retryAttempts is 1: had the outage used tofu's attempt, the plan would have failed the job.
    let plans = 0;
    const { result, calls } = await runWith('dependency-away', {
      tofuPlan: () => {
        plans += 1;
        return plans === 1
          ? Promise.reject(coded('DEPENDENCY_UNAVAILABLE', 'the state backend did not answer', false))
          : Promise.resolve({ add: 3, change: 0, destroy: 0 });
      },
      tofuApply: () => Promise.reject(coded('TOFU_RESOURCE_FAILED', 'apply failed', true)),
    });
    expect(calls.filter((c) => c === 'tofuPlan')).toHaveLength(2);
    // The run went on past the plan and failed for tofu's own reason, not the outage.
    expect(result).toMatchObject({ outcome: 'failed', code: 'TOFU_RESOURCE_FAILED' });
  });

  it('keeps the workspace and reports compensation as incomplete when its removal is refused for unsaved state', async () => {
    const { result, calls, updates } = await runWith('unsaved-state', {
      tofuApply: () => Promise.reject(coded('TOFU_RESOURCE_FAILED', 'apply failed', true)),
      cleanupWorkspace: () =>
        Promise.reject(coded('UNSAVED_STATE_KEPT', 'the workspace holds state tofu could not save', true)),
    });
    expect(result).toMatchObject({ outcome: 'failed', code: 'TOFU_RESOURCE_FAILED' });
    // Destroyed, then the removal was refused: the state is not removed either.
    expect(calls).toEqual(['createWorkspace', 'tofuInit', 'tofuPlan', 'tofuApply', 'tofuDestroy', 'cleanupWorkspace']);
    const last = updates.at(-1);
    expect(last?.kind === 'failed' && last.error.details).toMatchObject({
      compensation: 'incomplete',
      compensation_error: 'the workspace holds state tofu could not save',
    });
  });

  it('keeps failure messages and stack traces out of the history in clear, and still reads them through the codec', async () => {
    const secret = 'apply failed at /srv/worker/internal/path with tenant data';
    const { result, workflowId } = await runWith('sealed-failures', {
      tofuApply: () => Promise.reject(coded('TOFU_RESOURCE_FAILED', secret, true)),
    });
    // Read through the engine's data converter, the failure is whole.
    expect(result).toMatchObject({ outcome: 'failed', code: 'TOFU_RESOURCE_FAILED', message: secret });
    // The raw history, as the server stores it and a UI without the codec shows it.
    const raw = await client.workflowService.getWorkflowExecutionHistory({
      namespace: 'default',
      execution: { workflowId },
    });
    const failures = (raw.history?.events ?? []).flatMap((e) => {
      const failure = e.activityTaskFailedEventAttributes?.failure;
      return failure ? [failure] : [];
    });
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      expect(failure.message).toBe('Encoded failure');
      expect(failure.stackTrace ?? '').toBe('');
      expect(failure.encodedAttributes).toBeTruthy();
    }
    const everything = JSON.stringify(raw.history?.events ?? []);
    expect(everything).not.toContain('/srv/worker/internal/path');
  });
});

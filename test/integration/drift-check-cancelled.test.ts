import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Activities } from '../../activities/create-activities';
import type { DriftCheckResult } from '../../src/domain/drift';
import type { ProgressUpdate } from '../../src/domain/progress-update';
import { destroyNowUpdate, extendUpdate, runStateQuery } from '../../workflows/provision-environment.api';
import { driftTaskQueue, tofuTaskQueue } from '../../workflows/provision-environment.types';
import { provisionEnvironment } from '../../workflows/provision-environment.workflow';
import { aProvisionRequest } from '../support/requests';
import { testEnv } from '../support/test-env';
import { eventually, openTemporalClient, testDataConverter } from '../support/test-stack';

// The workflow on the real Temporal dev server with fake activities: a drift check that never
// ends by itself cannot be produced with real tofu, and a destroy request must not wait for it.
describe('a drift check in flight', () => {
  let client: Client;

  beforeAll(async () => {
    client = await openTemporalClient();
  });
  afterAll(() => client.connection.close());

  it('is cancelled by a destroy request: the job is destroying at once, refuses an extend and a second destroy while the check winds down, and is destroyed', async () => {
    const calls: string[] = [];
    const updates: ProgressUpdate[] = [];
    let checkStarted!: () => void;
    const started = new Promise<void>((resolve) => (checkStarted = resolve));
    let checkCancelled = false;
    // The check's tofu takes its time to stop once cancelled (as a real refresh may): held until
    // the test has looked at the job meanwhile.
    let letCheckStop!: () => void;
    const checkMayStop = new Promise<void>((resolve) => (letCheckStop = resolve));
    const record = (name: string, value: unknown) => () => {
      calls.push(name);
      return Promise.resolve(value);
    };
    const activities: Partial<Activities> = {
      recordProgress: (u: ProgressUpdate) => {
        updates.push(u);
        return Promise.resolve(true);
      },
      notify: () => Promise.resolve({ sent: false, reason: 'no webhook configured' }),
      createWorkspace: record('createWorkspace', { workspace: '/tmp/ws' }) as Activities['createWorkspace'],
      tofuInit: record('tofuInit', undefined) as Activities['tofuInit'],
      tofuPlan: record('tofuPlan', { add: 3, change: 0, destroy: 0 }) as Activities['tofuPlan'],
      tofuApply: record('tofuApply', { applied: 3 }) as Activities['tofuApply'],
      extractOutputs: record('extractOutputs', { resources: {}, endpoints: {} }) as Activities['extractOutputs'],
      issueCredentials: record('issueCredentials', { username: 'u' }) as Activities['issueCredentials'],
      tofuDestroy: record('tofuDestroy', { destroyed: 3 }) as Activities['tofuDestroy'],
      cleanupWorkspace: record('cleanupWorkspace', undefined) as Activities['cleanupWorkspace'],
      removeState: record('removeState', undefined) as Activities['removeState'],
      proveDeletion: record('proveDeletion', { outcome: 'nothing_left' }) as Activities['proveDeletion'],
      // A check that heartbeats until it is cancelled, as tofu's would while it refreshes.
      detectDrift: async (): Promise<DriftCheckResult> => {
        calls.push('detectDrift');
        const ctx = Context.current();
        checkStarted();
        while (!ctx.cancellationSignal.aborted) {
          ctx.heartbeat();
          await new Promise((r) => setTimeout(r, 200));
        }
        checkCancelled = true;
        await checkMayStop;
        throw ctx.cancellationSignal.reason;
      },
    };
    const taskQueue = 'fake-drift-cancelled';
    const connection = await NativeConnection.connect({ address: testEnv('temporalAddress') });
    const common = { connection, activities, dataConverter: testDataConverter() };
    const workers = await Promise.all([
      Worker.create({ ...common, taskQueue, workflowsPath: require.resolve('../../workflows') }),
      Worker.create({ ...common, taskQueue: tofuTaskQueue(taskQueue) }),
      Worker.create({ ...common, taskQueue: driftTaskQueue(taskQueue) }),
    ]);
    const request = aProvisionRequest();
    const handle = await client.workflow.start(provisionEnvironment, {
      taskQueue,
      workflowId: `fake-drift-cancelled-${request.tenant_id}`,
      args: [
        {
          jobId: 'job-drift-cancelled',
          request,
          settings: {
            tofuTimeoutSeconds: 600,
            retryAttempts: 1,
            driftCheck: { intervalSeconds: { standard: 1, professional: 1, enterprise: 1 }, policy: 'repair' },
          },
        },
      ],
    });
    const run = Promise.all(workers.map((w) => w.runUntil(handle.result())));
    try {
      await started;
      await handle.executeUpdate(destroyNowUpdate, { args: [{ reason: 'while a check runs' }] });
      // Before the check has stopped: the status says destroying, and the run refuses what a
      // destroying job refuses.
      await eventually(
        () => Promise.resolve(updates.some((u) => u.status === 'destroying')),
        (seen) => seen,
      );
      expect((await handle.query(runStateQuery)).status).toBe('destroying');
      const later = new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString();
      await expect(handle.executeUpdate(extendUpdate, { args: [{ expires_at: later }] })).rejects.toThrow();
      await expect(handle.executeUpdate(destroyNowUpdate, { args: [{ reason: 'again' }] })).rejects.toThrow();
      expect(updates.filter((u) => u.kind === 'expiry')).toEqual([]);
      expect(calls).not.toContain('tofuDestroy');
      letCheckStop();
      const [result] = await run;
      expect(checkCancelled).toBe(true);

      expect(result).toEqual({ outcome: 'destroyed', jobId: 'job-drift-cancelled' });
      // The check found nothing before it was stopped: nothing recorded, nothing repaired.
      expect(updates.filter((u) => u.kind === 'drift' || u.step.startsWith('drift'))).toEqual([]);
      expect(calls.slice(calls.indexOf('detectDrift'))).toEqual([
        'detectDrift',
        'tofuDestroy',
        'proveDeletion',
        'cleanupWorkspace',
        'removeState',
      ]);
    } finally {
      letCheckStop();
      await run.catch(() => undefined);
      await connection.close();
    }
  });
});

import type { Client } from '@temporalio/client';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { startProcess, type ManagedProcess } from '../../scripts/stack/child-process';
import { projectRoot, toolPath } from '../../scripts/stack/project-paths';
import { JobReader } from '../../src/read-model/job-reader';
import { aProvisionRequest } from '../support/requests';
import { TEST_ENCRYPTION_KEY, testEnv } from '../support/test-env';
import {
  eventually,
  liveResources,
  openDatabase,
  openTemporalClient,
  realActivityDeps,
  ALL_RESOURCES,
  activityAttempts,
  startProvisioningRun,
  startWorker,
  stateResourceCount,
  testFolders,
  type RunningWorker,
} from '../support/test-stack';

// A worker is a real process here (dist/src/worker/main.js, built by `npm test`), killed with
// SIGKILL in the middle of an apply. Its tofu child is left to finish, as it would be on a
// node that loses only the worker; the state lock it holds must not wedge the job.
describe('a worker killed during apply', () => {
  let db: DataSource;
  let client: Client;
  let crashing: ManagedProcess | undefined;
  let survivor: RunningWorker | undefined;

  beforeAll(async () => {
    db = await openDatabase();
    client = await openTemporalClient();
  });
  afterAll(async () => {
    await crashing?.stop(1000);
    await survivor?.stop();
    await client.connection.close();
    await db.destroy();
  });

  it('is replaced by another worker that finishes the job with each resource created once', async () => {
    const name = 'crash';
    const folders = testFolders(name);
    crashing = startProcess('worker', process.execPath, [join(projectRoot(), 'dist/src/worker/main.js')], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: testEnv('databaseUrl'),
        TEMPORAL_ADDRESS: testEnv('temporalAddress'),
        TEMPORAL_TASK_QUEUE: name,
        TOFU_BINARY: toolPath('tofu'),
        TERRAFORM_DIR: join(projectRoot(), 'terraform'),
        WORKSPACE_ROOT: folders.workspaceRoot,
        ENVIRONMENT_ROOT: folders.environmentRoot,
        LOCAL_STACK_APPLY_DELAY_SECONDS: '3',
        ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
        // Scrape ports are fixed by default; tests running side by side must not share them.
        METRICS_PORT: '0',
      },
      logFile: join(testEnv('runDir'), 'crashing-worker.log'),
    });
    const request = aProvisionRequest();
    const { jobId, handle } = await startProvisioningRun(db, client, name, request, { heartbeatTimeoutSeconds: 5 });
    const reader = new JobReader(db);
    await eventually(
      () => reader.findJob(jobId),
      (j) => j?.currentStep === 'tofu_apply',
    );
    await new Promise((r) => setTimeout(r, 1500));

    crashing.child.kill('SIGKILL');
    expect(await crashing.exited).toBe('SIGKILL');
    survivor = await startWorker(name, realActivityDeps(db, name));

    const job = await eventually(
      () => reader.findJob(jobId),
      (j) => j?.status === 'completed' || j?.status === 'failed',
      90_000,
    );
    expect({ status: job?.status, error: job?.errorMessage }).toEqual({ status: 'completed', error: null });
    expect(liveResources(folders.environmentRoot, request.tenant_slug)).toEqual(ALL_RESOURCES);
    expect(await stateResourceCount(db, request.tenant_id)).toBe(3);
    expect(Math.max(...(await activityAttempts(handle)))).toBeGreaterThan(1);
    await handle.terminate('test done');
  });
});

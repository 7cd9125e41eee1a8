import type { JobStatus } from '../domain/job-state-machine';
import type { ProvisionRequest } from '../domain/provision-request';
import type { WorkflowPresence } from '../domain/reconciliation';
import { StartLoop, type StartLoopDeps } from './workflow-start-loop';

// Unit test, no I/O: Temporal's side is a stand-in that records starts (the loop on the real
// Temporal is exercised by every e2e submit, and the sweep's side by idempotency-and-divergence).
const request = (tenant: string) => ({ tenant_id: tenant }) as unknown as ProvisionRequest;

function loop(
  behaviour: {
    start?: (jobId: string) => Promise<'started' | 'already_running'>;
    presence?: WorkflowPresence;
    other?: JobStatus | null;
  },
  opts = { concurrency: 2, attempts: 3, firstRetryMs: 1 },
) {
  const started: string[] = [];
  const warnings: string[] = [];
  let running = 0;
  let mostAtOnce = 0;
  const deps: StartLoopDeps = {
    directory: {
      startProvisioning: async (jobId) => {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        try {
          await new Promise((r) => setImmediate(r));
          const outcome = await (behaviour.start?.(jobId) ?? Promise.resolve('started' as const));
          if (outcome === 'started') started.push(jobId);
          return outcome;
        } finally {
          running -= 1;
        }
      },
      presence: () => Promise.resolve(behaviour.presence ?? 'missing'),
    },
    otherJobStatus: () => Promise.resolve(behaviour.other ?? null),
    warn: (m) => warnings.push(m),
  };
  return { loop: new StartLoop(deps, opts), started, warnings, mostAtOnce: () => mostAtOnce };
}

describe('StartLoop', () => {
  it('starts every job handed over, never more at once than its concurrency', async () => {
    const { loop: l, started, mostAtOnce } = loop({});
    for (let i = 0; i < 10; i++) l.enqueue(`job-${i}`, request(`t-${i}`));
    await l.idle();
    expect(started.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `job-${i}`).sort());
    expect(mostAtOnce()).toBe(2);
  });

  it('tries a failed start again, and leaves the job to the sweep after its attempts', async () => {
    let calls = 0;
    const flaky = loop({
      start: () => (++calls < 3 ? Promise.reject(new Error('unavailable')) : Promise.resolve('started')),
    });
    flaky.loop.enqueue('job-flaky', request('t'));
    await flaky.loop.idle();
    expect(flaky.started).toEqual(['job-flaky']);

    const down = loop({ start: () => Promise.reject(new Error('unavailable')) });
    down.loop.enqueue('job-down', request('t'));
    await down.loop.idle();
    expect(down.started).toEqual([]);
    expect(down.warnings).toEqual([
      expect.stringMatching(/job-down: workflow start deferred to the reconciliation sweep/),
    ]);
  });

  it('is done when the job has its own run already (the sweep started it)', async () => {
    const { loop: l, warnings } = loop({ start: () => Promise.resolve('already_running'), presence: 'running' });
    l.enqueue('job-1', request('t'));
    await l.idle();
    expect(warnings).toEqual([]);
  });

  it("waits for the tenant's closing run and starts the job once its workflow id is free", async () => {
    let calls = 0;
    const { loop: l, started } = loop({
      start: () => Promise.resolve(++calls < 3 ? 'already_running' : 'started'),
      other: 'destroyed',
    });
    l.enqueue('job-next', request('t'));
    await l.idle();
    expect(started).toEqual(['job-next']);
  });

  it("leaves the job to the sweep when a live run of another job holds the tenant's workflow id", async () => {
    const {
      loop: l,
      started,
      warnings,
    } = loop({ start: () => Promise.resolve('already_running'), other: 'provisioning' });
    l.enqueue('job-x', request('t'));
    await l.idle();
    expect(started).toEqual([]);
    expect(warnings).toEqual([expect.stringMatching(/job-x: a run of another job holds/)]);
  });
});

import { APPLY_DELAY_SECONDS, expectSettled, onCrashStack, postgresOutageDuring } from './crash-scenarios';

// Crash suite (issue 16): the stack's own embedded Postgres (read model and tofu state; never
// the machine's Postgres service) stopped for 30 s at a seeded random point of a plan and of an
// apply, then started again. A dependency that is away delays a job; it does not fail it (issue
// 16, items 1(e) and 2): the job must complete, every resource must exist once, and nothing may
// be left without a job owning it.
const OUTAGE_MS = 30_000;
// A plan of the local stack lasts a few hundred milliseconds: stop Postgres inside it.
const PLAN_WINDOW_MS = 100;

describe('Postgres stopped for 30 s', () => {
  onCrashStack('postgres', (stack, rng) => {
    it('during a plan: the job completes, each resource made once', async () => {
      expectSettled(await postgresOutageDuring(stack(), 'tofu_plan', rng, PLAN_WINDOW_MS, OUTAGE_MS), 'completed');
    }, 600_000);

    it('during an apply: the job completes, each resource made once', async () => {
      const window = APPLY_DELAY_SECONDS * 2000;
      expectSettled(await postgresOutageDuring(stack(), 'tofu_apply', rng, window, OUTAGE_MS), 'completed');
    }, 600_000);
  });
});

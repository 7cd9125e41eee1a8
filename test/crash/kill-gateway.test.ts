import { CrashStack, seededRandom } from './crash-stack';
import { killDuringApply, killDuringDestroy } from './crash-scenarios';

// Crash suite (issue 16): SIGKILL of the gateway process, at a seeded random point of an apply and
// of a destroy, then restarted. Losing a process is not the tenant's fault: the job must end as if
// nothing had happened (completed, then destroyed), every resource must exist once or not at all,
// and nothing may be left without a job owning it.
const APPLY_DELAY_SECONDS = 3;

describe('SIGKILL of the gateway', () => {
  const rng = seededRandom('gateway');
  let stack: CrashStack;
  beforeAll(async () => {
    stack = await CrashStack.start('gateway', { applyDelaySeconds: APPLY_DELAY_SECONDS });
  }, 180_000);
  afterAll(async () => stack?.stop(), 120_000);

  it('during an apply: the job completes, each resource made once', async () => {
    const result = await killDuringApply(stack, 'gateway', rng, APPLY_DELAY_SECONDS * 2000);
    expect(result).toEqual({
      what: result.what,
      error: result.error,
      status: 'completed',
      breaches: [],
    });
  }, 600_000);

  it('during a destroy: the environment is destroyed, nothing left', async () => {
    const result = await killDuringDestroy(stack, 'gateway', rng);
    expect(result).toEqual({
      what: result.what,
      error: result.error,
      status: 'destroyed',
      breaches: [],
    });
  }, 600_000);
});

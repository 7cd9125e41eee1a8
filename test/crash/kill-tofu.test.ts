import { CrashStack, seededRandom } from './crash-stack';
import { killDuringApply, killDuringDestroy } from './crash-scenarios';

// Crash suite (issue 16): SIGKILL of the tofu process alone (as the OOM killer does): its local-
// exec children finish, at a seeded random point of an apply and of a destroy. The job must settle:
// a retried apply adopts what the killed one created, or the job says `compensation: incomplete`
// and keeps state and workspace (issue 16, 1(f)); every resource must exist once or not at all, and
// nothing may be left without a job owning it.
const APPLY_DELAY_SECONDS = 3;

describe('SIGKILL of the tofu', () => {
  const rng = seededRandom('tofu');
  let stack: CrashStack;
  beforeAll(async () => {
    stack = await CrashStack.start('tofu', { applyDelaySeconds: APPLY_DELAY_SECONDS });
  }, 180_000);
  afterAll(async () => stack?.stop(), 120_000);

  it('during an apply: the job settles, owning exactly what exists', async () => {
    const result = await killDuringApply(stack, 'tofu', rng, APPLY_DELAY_SECONDS * 2000);
    expect(result).toEqual({
      what: result.what,
      error: result.error,
      status: expect.stringMatching(/^(completed|failed)$/),
      breaches: [],
    });
  }, 600_000);

  it('during a destroy: the job settles, owning exactly what is left', async () => {
    const result = await killDuringDestroy(stack, 'tofu', rng);
    expect(result).toEqual({
      what: result.what,
      error: result.error,
      status: expect.stringMatching(/^(destroyed|destroy_failed)$/),
      breaches: [],
    });
  }, 600_000);
});

import { CrashStack, ownershipBreaches, seededRandom, SETTLED, sleep, type JobRow, type Victim } from './crash-stack';

/** What a crash scenario left, for the test to assert on (and to print when it fails). */
export interface CrashOutcome {
  what: string;
  status: string;
  error: string | null;
  breaches: string[];
}

type Random = { between(min: number, max: number): number };

/** A job settles within this long after its crash, whatever was killed (heartbeat timeout 60 s, retries). */
const SETTLE_MS = 360_000;
/** Provisioning without a crash, to have something to destroy. */
const PROVISION_MS = 240_000;

const settled = (j: JobRow) => SETTLED.includes(j.status);

async function outcome(
  stack: CrashStack,
  what: string,
  jobId: string,
  request: Parameters<typeof ownershipBreaches>[2],
) {
  const job = await stack.until(jobId, settled, SETTLE_MS);
  // Settled means it stays: a job that moves on after a few seconds was not settled yet.
  await sleep(3000);
  const again = await stack.until(jobId, settled, SETTLE_MS);
  process.stdout.write(
    `crash suite: ${what}: job ${jobId} ${again.status}${again.error_message ? ` (${again.error_message})` : ''}\n`,
  );
  return {
    what,
    status: again.status,
    error: again.error_message,
    breaches: [
      ...(again.status === job.status ? [] : [`moved from ${job.status} to ${again.status} after settling`]),
      ...(await ownershipBreaches(stack, jobId, request, again)),
    ],
  };
}

/** Waits until a tofu process of `verb` runs, then `delayMs`. Falls back to the step when none shows. */
async function atRandomPointOfTofu(
  stack: CrashStack,
  verb: 'plan' | 'apply' | 'destroy',
  delayMs: number,
): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (stack.tofuPid(verb) === undefined && Date.now() < deadline) await sleep(5);
  await sleep(delayMs);
}

/** SIGKILL of `victim` at a random point of a new tenant's apply; the job must settle owning all it made. */
export async function killDuringApply(
  stack: CrashStack,
  victim: Victim,
  rng: Random,
  applyMs: number,
): Promise<CrashOutcome> {
  const { request, jobId } = await stack.submit();
  await stack.until(jobId, (j) => j.current_step === 'tofu_apply', PROVISION_MS);
  const delay = rng.between(0, applyMs);
  await atRandomPointOfTofu(stack, 'apply', delay);
  const landed = stack.tofuPid('apply') === undefined ? 'tofu apply had ended' : 'tofu apply running';
  const killed = await stack.kill(victim, 'apply');
  return outcome(stack, `SIGKILL ${killed} ${delay} ms into apply (${landed})`, jobId, request);
}

/** SIGKILL of `victim` at a random point of a destroy; the job must settle with nothing unowned. */
export async function killDuringDestroy(stack: CrashStack, victim: Victim, rng: Random): Promise<CrashOutcome> {
  const { request, jobId } = await stack.submit();
  await stack.until(jobId, (j) => j.status === 'completed' || SETTLED.includes(j.status), PROVISION_MS);
  await stack.destroy(jobId);
  await stack.until(jobId, (j) => j.current_step === 'tofu_destroy' || j.status !== 'completed', PROVISION_MS);
  // tofu destroy of the local stack lasts a few hundred milliseconds: crash somewhere inside it.
  const delay = rng.between(0, 50);
  await atRandomPointOfTofu(stack, 'destroy', delay);
  const landed = stack.tofuPid('destroy') === undefined ? 'tofu destroy had ended' : 'tofu destroy running';
  const killed = await stack.kill(victim, 'destroy');
  return outcome(stack, `SIGKILL ${killed} ${delay} ms into destroy (${landed})`, jobId, request);
}

/** Postgres stopped for `outageMs` at a random point of a new tenant's `step`. */
export async function postgresOutageDuring(
  stack: CrashStack,
  step: 'tofu_plan' | 'tofu_apply',
  rng: Random,
  windowMs: number,
  outageMs: number,
): Promise<CrashOutcome> {
  const { request, jobId } = await stack.submit();
  await stack.until(jobId, (j) => j.current_step === step, PROVISION_MS);
  const delay = rng.between(0, windowMs);
  const verb = step === 'tofu_plan' ? 'plan' : 'apply';
  await atRandomPointOfTofu(stack, verb, delay);
  const landed = stack.tofuPid(verb) === undefined ? `tofu ${verb} had ended` : `tofu ${verb} running`;
  await stack.postgresOutage(outageMs);
  return outcome(
    stack,
    `Postgres stopped for ${outageMs / 1000} s, ${delay} ms into ${step} (${landed})`,
    jobId,
    request,
  );
}

/** Seconds each resource of the local stack takes to create in the crash suite: applies last a few seconds. */
export const APPLY_DELAY_SECONDS = 3;
const TEST_MS = 600_000;

/**
 * Declares the tests of one crash-suite file around a stack of its own (`name`), started before
 * them and stopped after; `tests` gets the stack and the file's seeded random source.
 */
export function onCrashStack(name: string, tests: (stack: () => CrashStack, rng: Random) => void): void {
  const rng = seededRandom(name);
  let stack: CrashStack | undefined;
  beforeAll(async () => {
    stack = await CrashStack.start(name, { applyDelaySeconds: APPLY_DELAY_SECONDS });
  }, 180_000);
  afterAll(async () => stack?.stop(), 120_000);
  tests(() => stack as CrashStack, rng);
}

/** The job settled in `status` (or one matching it), with nothing it made doubled or unowned. */
export function expectSettled(result: CrashOutcome, status: string | RegExp): void {
  expect(result).toEqual({
    what: result.what,
    error: result.error,
    status: typeof status === 'string' ? status : expect.stringMatching(status),
    breaches: [],
  });
}

/** SIGKILL of `victim` at a random point of an apply and of a destroy, each ending as `expected` says. */
export function killTests(victim: Victim, expected: { apply: string | RegExp; destroy: string | RegExp }): void {
  onCrashStack(victim, (stack, rng) => {
    it(
      `during an apply: the job ends ${String(expected.apply)}, each resource made once and owned`,
      async () => {
        expectSettled(await killDuringApply(stack(), victim, rng, APPLY_DELAY_SECONDS * 2000), expected.apply);
      },
      TEST_MS,
    );
    it(
      `during a destroy: the job ends ${String(expected.destroy)}, nothing left unowned`,
      async () => {
        expectSettled(await killDuringDestroy(stack(), victim, rng), expected.destroy);
      },
      TEST_MS,
    );
  });
}

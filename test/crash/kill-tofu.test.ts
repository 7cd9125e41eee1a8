import { killTests } from './crash-scenarios';

// Crash suite (issue 16): SIGKILL of the tofu process alone (as the OOM killer does): its local-
// exec children finish, at a seeded random point of an apply and of a destroy. The job must settle:
// a retried apply adopts what the killed one created, or the job says `compensation: incomplete`
// and keeps state and workspace (issue 16, 1(f)); every resource must exist once or not at all, and
// nothing may be left without a job owning it.
describe('SIGKILL of the tofu process alone', () => {
  killTests('tofu', { apply: /^(completed|failed)$/, destroy: /^(destroyed|destroy_failed)$/ });
});

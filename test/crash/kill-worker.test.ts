import { killTests } from './crash-scenarios';

// Crash suite (issue 16): SIGKILL of the worker process (Node), its tofu child left running as on a
// node that loses only the worker, at a seeded random point of an apply and of a destroy, then
// restarted. Losing a process is not the tenant's fault: the job must end as if nothing had
// happened (completed, then destroyed), every resource must exist once or not at all, and nothing
// may be left without a job owning it.
describe('SIGKILL of the worker', () => {
  killTests('worker', { apply: 'completed', destroy: 'destroyed' });
});

import type { State } from '@temporalio/worker';
import { workersReadiness, type ReadinessSource } from './workers-readiness';

const worker = (taskQueue: string, state: State): ReadinessSource => ({
  getState: () => state,
  options: { taskQueue },
});

describe('workersReadiness', () => {
  it('is not ready before the Temporal workers exist', () => {
    expect(workersReadiness([])).toEqual({ ready: false, reason: 'Temporal workers not started' });
  });

  it('is ready when every worker runs', () => {
    expect(workersReadiness([worker('q', 'RUNNING'), worker('q-tofu', 'RUNNING')])).toEqual({ ready: true });
  });

  it.each<State>(['INITIALIZED', 'STOPPING', 'DRAINING', 'DRAINED', 'STOPPED', 'FAILED'])(
    'is not ready when one worker is %s, naming its task queue and state',
    (state) => {
      expect(workersReadiness([worker('q', 'RUNNING'), worker('q-tofu', state)])).toEqual({
        ready: false,
        reason: `q-tofu: ${state.toLowerCase()}`,
      });
    },
  );
});

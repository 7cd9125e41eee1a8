import {
  actionsFor,
  canMove,
  IN_FLIGHT_STATUSES,
  JOB_STATUSES,
  LIVE_STATUSES,
  showsError,
  sqlStatusList,
  statusesBefore,
  TERMINAL_STATUSES,
  type JobStatus,
} from './job-state-machine';

/** The order a job goes through: a move may stay or go forward, never back. */
const RANK: Record<JobStatus, number> = {
  pending: 0,
  queued: 1,
  provisioning: 2,
  completed: 3,
  destroying: 4,
  destroy_failed: 4,
  destroy_incomplete: 4,
  failed: 5,
  cancelled: 5,
  destroyed: 5,
};

describe('the job state machine', () => {
  it('lists the seed statuses in their order, then the engine lifecycle, then destroy_failed and destroy_incomplete', () => {
    expect(JOB_STATUSES).toEqual([
      'pending',
      'queued',
      'provisioning',
      'completed',
      'failed',
      'destroying',
      'destroyed',
      'cancelled',
      'destroy_failed',
      'destroy_incomplete',
    ]);
  });

  it('splits every status into live or terminal, never both', () => {
    expect([...LIVE_STATUSES, ...TERMINAL_STATUSES].sort()).toEqual([...JOB_STATUSES].sort());
    expect(TERMINAL_STATUSES).toEqual(['failed', 'destroyed', 'cancelled']);
    expect(LIVE_STATUSES).toContain('destroy_failed');
    expect(LIVE_STATUSES).toContain('destroy_incomplete');
  });

  it('counts as at work only live statuses a run is busy in', () => {
    expect(IN_FLIGHT_STATUSES).toEqual(['pending', 'queued', 'provisioning', 'destroying']);
    for (const s of IN_FLIGHT_STATUSES) expect(LIVE_STATUSES).toContain(s);
  });

  it('never moves a job backwards', () => {
    for (const from of JOB_STATUSES) {
      for (const to of JOB_STATUSES) {
        const retry = (from === 'destroy_failed' || from === 'destroy_incomplete') && to === 'destroying';
        if (canMove(from, to) && !retry) {
          expect([from, to, RANK[to] >= RANK[from]]).toEqual([from, to, true]);
        }
      }
    }
    expect(canMove('completed', 'provisioning')).toBe(false);
    expect(canMove('destroyed', 'destroying')).toBe(false);
  });

  it('lets a failed destroy be retried, and nothing leave a terminal status', () => {
    expect(canMove('destroying', 'destroy_failed')).toBe(true);
    expect(canMove('destroy_failed', 'destroying')).toBe(true);
    expect(canMove('destroy_failed', 'destroyed')).toBe(false);
    for (const t of TERMINAL_STATUSES) for (const to of JOB_STATUSES) expect(canMove(t, to)).toBe(false);
  });

  it('names the statuses a write may apply over', () => {
    expect(statusesBefore('completed')).toEqual(['provisioning', 'completed']);
    expect(statusesBefore('destroying')).toEqual([
      'provisioning',
      'completed',
      'destroying',
      'destroy_failed',
      'destroy_incomplete',
    ]);
    expect(statusesBefore('pending')).toEqual(['pending']);
  });

  it('offers a retry of a failed destroy through destroy, and nothing else', () => {
    expect(actionsFor('destroy_failed')).toEqual({ can_cancel: false, can_extend: false, can_destroy: true });
  });

  it('ends a destroy whose proof of deletion found resources destroy_incomplete, retried like destroy_failed', () => {
    expect(canMove('destroying', 'destroy_incomplete')).toBe(true);
    expect(canMove('destroy_incomplete', 'destroying')).toBe(true);
    // Only a proof that finds nothing (after a new destroy) makes the job destroyed.
    expect(canMove('destroy_incomplete', 'destroyed')).toBe(false);
    expect(actionsFor('destroy_incomplete')).toEqual({ can_cancel: false, can_extend: false, can_destroy: true });
    expect(IN_FLIGHT_STATUSES).not.toContain('destroy_incomplete');
  });

  it('offers actions only in live statuses', () => {
    for (const s of TERMINAL_STATUSES) expect(Object.values(actionsFor(s))).toEqual([false, false, false]);
  });

  it('shows the error of failed, cancelled, destroy_failed and destroy_incomplete jobs only', () => {
    expect(JOB_STATUSES.filter(showsError)).toEqual(['failed', 'cancelled', 'destroy_failed', 'destroy_incomplete']);
  });

  it('writes a status list as SQL', () => {
    expect(sqlStatusList(['queued', 'destroy_failed'])).toBe(`('queued','destroy_failed')`);
  });
});

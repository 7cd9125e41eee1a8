import { JOB_STATUSES } from '../domain/job-status';
import { actionsFor } from './job-actions';

describe('actionsFor', () => {
  it('lets a provisioning job be cancelled or extended, not destroyed', () => {
    expect(actionsFor('provisioning')).toEqual({ can_cancel: true, can_extend: true, can_destroy: false });
  });

  it('lets a ready environment be extended or destroyed, not cancelled', () => {
    expect(actionsFor('completed')).toEqual({ can_cancel: false, can_extend: true, can_destroy: true });
  });

  it.each(['failed', 'destroying', 'destroyed', 'cancelled'] as const)('allows nothing once a job is %s', (status) => {
    expect(actionsFor(status)).toEqual({ can_cancel: false, can_extend: false, can_destroy: false });
  });

  it('never offers cancel and destroy at once', () => {
    for (const s of JOB_STATUSES) expect(actionsFor(s).can_cancel && actionsFor(s).can_destroy).toBe(false);
  });
});

import { canMove, type JobStatus } from '../../src/domain/job-state-machine';

/** Asserts that every consecutive pair of statuses is a move the state machine allows. */
export function expectForwardOnly(statuses: JobStatus[]): void {
  const illegal = statuses.slice(1).flatMap((to, i) => (canMove(statuses[i], to) ? [] : [`${statuses[i]}→${to}`]));
  expect(illegal).toEqual([]);
}

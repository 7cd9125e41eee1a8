import { ApplicationFailure } from '@temporalio/activity';
import { DomainError } from '../src/domain/domain-error';
import { toActivityFailure } from './activity-failure';

describe('toActivityFailure', () => {
  it('makes a write the database refused for its data permanent: no retry can fix it', () => {
    const failure = toActivityFailure(new DomainError('DATA_REJECTED', 'refused', [], { sqlstate: '22021' }));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'DATA_REJECTED', nonRetryable: true, details: [{ sqlstate: '22021' }] });
  });

  it('keeps a dependency outage retryable', () => {
    expect(toActivityFailure(new DomainError('DEPENDENCY_UNAVAILABLE', 'database away'))).toMatchObject({
      nonRetryable: false,
    });
  });
});

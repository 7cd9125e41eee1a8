import { DomainError } from '../../src/domain/domain-error';
import { waitForStateBackend } from './backend-reachability';

describe('waitForStateBackend', () => {
  it('returns as soon as the backend answers, reporting each failed probe while it waits', async () => {
    const answers = ['connect ECONNREFUSED 127.0.0.1:5432', 'connect ECONNREFUSED 127.0.0.1:5432', null];
    const waiting: string[] = [];
    await waitForStateBackend(() => Promise.resolve(answers.shift() ?? null), {
      deadline: Date.now() + 60_000,
      onWaiting: (reason) => waiting.push(reason),
    });
    expect(waiting).toEqual(['connect ECONNREFUSED 127.0.0.1:5432', 'connect ECONNREFUSED 127.0.0.1:5432']);
    expect(answers).toEqual([]);
  });

  it('fails with DEPENDENCY_UNAVAILABLE naming the reason once the deadline is near', async () => {
    const err = await waitForStateBackend(() => Promise.resolve('connect ECONNREFUSED'), {
      deadline: Date.now() + 100,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', message: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('stops waiting when cancelled', async () => {
    const controller = new AbortController();
    const waiting = waitForStateBackend(() => Promise.resolve('down'), {
      deadline: Date.now() + 60_000,
      signal: controller.signal,
      onWaiting: () => controller.abort(new Error('cancelled')),
    });
    await expect(waiting).rejects.toThrow('cancelled');
  });
});

import type { Connection } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { DATABASE_ANSWER_TTL_MS, HealthService, TEMPORAL_ANSWER_TTL_MS } from './health.service';

// Unit test, no I/O: the Temporal connection and the database are stand-ins that count calls
// (the real ones are exercised by test/e2e/health-probes.test.ts).
function serviceWithCountingTemporal() {
  const calls = { describe: 0, select: 0 };
  let release: () => void = () => undefined;
  let gate: Promise<void> = Promise.resolve();
  const temporal = {
    withAbortSignal: (_signal: AbortSignal, fn: () => Promise<unknown>) => fn(),
    workflowService: {
      describeTaskQueue: async () => {
        calls.describe += 1;
        await gate;
        return { pollers: [{ identity: 'worker-1' }], stats: { approximateBacklogCount: 0 } };
      },
    },
  } as unknown as Connection;
  const db = {
    query: () => {
      calls.select += 1;
      return Promise.resolve([{ '?column?': 1 }]);
    },
  } as unknown as DataSource;
  const config = { temporal: { taskQueue: 'q', namespace: 'default' } } as unknown as AppConfig;
  const service = new HealthService(config, temporal, db);
  const hold = () => {
    gate = new Promise((r) => (release = r));
    return () => release();
  };
  return { service, calls, hold };
}

describe('HealthService', () => {
  let now = 1_000_000;
  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  it('asks Temporal once per interval and the database once per its shorter interval, however often health is asked', async () => {
    const { service, calls } = serviceWithCountingTemporal();
    for (let i = 0; i < 10; i++) {
      expect(await service.report()).toMatchObject({ status: 'healthy', workers: 1 });
      now += 100;
    }
    // One round: the workflow queue and the three activity queues (quick, tofu, drift); one
    // SELECT per database interval.
    expect(calls.describe).toBe(4);
    expect(calls.select).toBe(Math.ceil(1000 / DATABASE_ANSWER_TTL_MS));

    now += TEMPORAL_ANSWER_TTL_MS;
    await service.report();
    expect(calls.describe).toBe(8);
  });

  it('lets callers that arrive while a round is under way share it', async () => {
    const { service, calls, hold } = serviceWithCountingTemporal();
    const release = hold();
    const waiting = Promise.all(Array.from({ length: 20 }, () => service.report()));
    release();
    const reports = await waiting;
    expect(reports.every((r) => r.queue === 'healthy')).toBe(true);
    expect(calls.describe).toBe(4);
    expect(calls.select).toBe(1);
  });
});

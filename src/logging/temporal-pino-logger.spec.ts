import { toLogFields } from './temporal-pino-logger';

describe('toLogFields', () => {
  it('renames the SDK attributes to snake_case and drops the task token', () => {
    expect(
      toLogFields({
        workflowId: 'poc-1',
        workflowRunId: 'run-1',
        activityType: 'tofuApply',
        taskQueue: 'q',
        taskToken: 'opaque',
        attempt: 2,
        job_id: 'j',
      }),
    ).toEqual({
      workflow_id: 'poc-1',
      run_id: 'run-1',
      activity_type: 'tofuApply',
      task_queue: 'q',
      attempt: 2,
      job_id: 'j',
    });
  });

  it('keeps only the name and message of an error', () => {
    const err = new Error('boom');
    expect(toLogFields({ error: err })).toEqual({ error: { name: 'Error', message: 'boom' } });
  });
});

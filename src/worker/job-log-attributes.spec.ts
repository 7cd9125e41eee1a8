import { jobFieldsOf } from './job-log-attributes';

describe('jobFieldsOf', () => {
  it('reads the job and tenant of a job reference', () => {
    expect(jobFieldsOf({ jobId: 'j1', request: { tenant_slug: 'acme', company_info: {} } })).toEqual({
      job_id: 'j1',
      tenant_slug: 'acme',
    });
  });

  it('reads the job and the workflow step of a progress write', () => {
    expect(jobFieldsOf({ jobId: 'j1', seq: 3, step: 'tofu_plan', status: 'provisioning' })).toEqual({
      job_id: 'j1',
      step: 'tofu_plan',
    });
  });

  it('reads the job and tenant of a notification', () => {
    expect(jobFieldsOf({ job_id: 'j1', tenant_slug: 'acme', event: 'environment.ready' })).toEqual({
      job_id: 'j1',
      tenant_slug: 'acme',
    });
  });

  it('finds nothing in arguments that name no job', () => {
    expect(jobFieldsOf({ graceSeconds: 600 })).toEqual({});
    expect(jobFieldsOf(undefined)).toEqual({});
  });
});

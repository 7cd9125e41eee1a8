import { aProvisionRequest } from '../support/requests';
import { editCloudObject } from '../support/local-cloud';
import { type ApiBody, type TestGateway } from '../support/gateway';
import { eventually, liveResources, realActivityDeps, testFolders } from '../support/test-stack';
import { startEngine, type RunningEngine } from '../support/engine';

const TASK_QUEUE = 'destroy-failures';

// The real gateway, worker, Temporal, Postgres and tofu. The local stack's database_instance is
// created with (simulated) deletion protection, so its destroy fails until the test lifts it.
describe('destroys that fail, over HTTP', () => {
  let engine: RunningEngine;
  let gateway: TestGateway;
  const { environmentRoot } = testFolders(TASK_QUEUE);

  beforeAll(async () => {
    engine = await startEngine(TASK_QUEUE, {
      gatewayEnv: { DESTROY_RETRY_INITIAL_SECONDS: '3600' },
      deps: (d) => realActivityDeps(d, TASK_QUEUE, { undeletableResource: 'database_instance' }),
    });
    ({ gateway } = engine);
  });
  afterAll(() => engine?.stop());

  const json = async (res: Response): Promise<ApiBody> => res.json();
  const submit = async () => {
    const request = aProvisionRequest();
    const res = await gateway.call('/provisioning/provision', { method: 'POST', json: request });
    expect(res.status).toBe(202);
    return { request, jobId: (await json(res)).job_id as string };
  };
  const statusOf = async (jobId: string) => json(await gateway.call(`/provisioning/status/${jobId}`));
  const until = (jobId: string, statuses: string[]) =>
    eventually(
      () => statusOf(jobId),
      (s: ApiBody) => statuses.includes(s.status),
    );
  const destroy = (jobId: string, body: unknown = {}) =>
    gateway.call(`/provisioning/jobs/${jobId}/destroy`, { method: 'POST', json: body });

  it('shows destroy_failed with the error and what is left, refuses extend, and accepts a retry through destroy', async () => {
    const { request, jobId } = await submit();
    await until(jobId, ['completed', 'failed']);
    expect((await destroy(jobId, { reason: 'trial over' })).status).toBe(202);

    const failed = await until(jobId, ['destroy_failed', 'destroyed']);
    expect(failed).toMatchObject({
      status: 'destroy_failed',
      actions: { can_cancel: false, can_extend: false, can_destroy: true },
      error_message: expect.stringMatching(/tofu destroy failed/),
      error_details: {
        code: 'TOFU_RESOURCE_FAILED',
        resources_left: [
          'module.poc.localcloud_database_instance.database_instance',
          'module.poc.localcloud_network.vpc_network',
        ],
        next_retry_at: expect.any(String),
      },
    });
    const extend = await gateway.call(`/provisioning/jobs/${jobId}/extend`, {
      method: 'POST',
      json: { expires_at: new Date(Date.now() + 5 * 24 * 3600_000).toISOString() },
    });
    expect(extend.status).toBe(409);
    expect((await json(extend)).error).toMatchObject({ code: 'INVALID_STATE', status: 'destroy_failed' });

    // The tenant still holds a live environment: a new request names the job that holds it.
    const blocked = await gateway.call('/provisioning/provision', {
      method: 'POST',
      json: { ...aProvisionRequest(), tenant_id: request.tenant_id },
    });
    expect(blocked.status).toBe(409);
    expect((await json(blocked)).error).toMatchObject({ code: 'ENVIRONMENT_ALREADY_ACTIVE', job_id: jobId });

    editCloudObject(environmentRoot, request.tenant_slug, 'database_instance', { deletion_protection: false });
    expect((await destroy(jobId, { reason: 'protection lifted' })).status).toBe(202);
    const destroyed = await until(jobId, ['destroyed']);
    expect(destroyed.actions).toEqual({ can_cancel: false, can_extend: false, can_destroy: false });
    expect(destroyed.error_message).toBeNull();
    expect(liveResources(environmentRoot, request.tenant_slug)).toEqual([]);
  });

  it('never wedges a job asked to be destroyed for a reason holding a NUL byte', async () => {
    const { request, jobId } = await submit();
    await until(jobId, ['completed', 'failed']);
    // Lift the protection at once: this test is about the byte, not the protection.
    editCloudObject(environmentRoot, request.tenant_slug, 'database_instance', { deletion_protection: false });

    const res = await destroy(jobId, { reason: 'bad\u0000byte' });
    if (res.status === 400) {
      // Refused at the door (request validation): nothing changed, a clean destroy still works.
      expect((await json(res)).error.details).toEqual([{ field: 'reason', reason: expect.any(String) }]);
      expect((await statusOf(jobId)).actions.can_destroy).toBe(true);
      expect((await destroy(jobId, { reason: 'clean' })).status).toBe(202);
    } else {
      expect(res.status).toBe(202);
    }
    const destroyed = await until(jobId, ['destroyed']);
    expect(destroyed.status).toBe('destroyed');
  });
});

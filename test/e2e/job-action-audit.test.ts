import { startEngine, type RunningEngine } from '../support/engine';
import { startGateway, type ApiBody, type TestGateway } from '../support/gateway';
import { aProvisionRequest } from '../support/requests';
import { eventually, realActivityDeps, startWorker, type RunningWorker } from '../support/test-stack';

const TASK_QUEUE = 'job-action-audit';
const SLOW_QUEUE = `${TASK_QUEUE}-slow`;

/** The audit rows of a job: action, principal, request id and what was asked, oldest first. */
type AuditRow = { action: string; principal: string; request_id: string | null; detail: Record<string, string> };

// The real gateway, worker, Temporal, Postgres and tofu: each steering action over HTTP leaves one
// audit row naming who asked and the request id the answer carried.
describe('the audit of extend, destroy and cancel', () => {
  let engine: RunningEngine;
  let slowWorker: RunningWorker;
  let slowGateway: TestGateway;

  beforeAll(async () => {
    engine = await startEngine(TASK_QUEUE);
    // A long apply on a worker of its own, so that a cancel surely lands while the job provisions.
    slowWorker = await startWorker(SLOW_QUEUE, realActivityDeps(engine.db, SLOW_QUEUE, { applyDelaySeconds: 30 }));
    slowGateway = await startGateway(SLOW_QUEUE);
  });
  afterAll(async () => {
    await slowGateway?.close();
    await slowWorker?.stop();
    await engine?.stop();
  });

  const auditOf = (jobId: string): Promise<AuditRow[]> =>
    engine.db.query(
      'SELECT action, principal, request_id, detail FROM job_action_audit WHERE job_id = $1 ORDER BY id',
      [jobId],
    );
  const statusOf = async (gateway: TestGateway, jobId: string): Promise<ApiBody> =>
    (await gateway.call(`/provisioning/status/${jobId}`)).json();
  const submit = async (gateway: TestGateway): Promise<string> => {
    const res = await gateway.call('/provisioning/provision', { method: 'POST', json: aProvisionRequest() });
    expect(res.status).toBe(202);
    return (await res.json()).job_id as string;
  };

  it('records who extended and destroyed a ready environment (and read its credentials) with the request id each answer carried', async () => {
    const { gateway } = engine;
    const jobId = await submit(gateway);
    await eventually(
      () => statusOf(gateway, jobId),
      (s) => s.status === 'completed',
    );
    const later = new Date(Date.now() + 10 * 24 * 3600_000).toISOString();
    const extended = await gateway.call(`/provisioning/jobs/${jobId}/extend`, {
      method: 'POST',
      json: { expires_at: later },
      headers: { 'x-request-id': 'audit-extend-1' },
    });
    expect(extended.status).toBe(200);
    // Credential reads (their own audit) keep the answered id too, never the raw header.
    const read = await gateway.call(`/provisioning/jobs/${jobId}/credentials`, {
      headers: { 'x-request-id': 'not plain; dropped' },
    });
    expect(read.status).toBe(200);
    expect(await engine.db.query('SELECT request_id FROM credential_reads WHERE job_id = $1', [jobId])).toEqual([
      { request_id: read.headers.get('x-request-id') },
    ]);
    expect(read.headers.get('x-request-id')).not.toContain('dropped');
    // A request id the gateway does not honour (too long): the audit keeps the one it answered with.
    const destroyed = await gateway.call(`/provisioning/jobs/${jobId}/destroy`, {
      method: 'POST',
      json: { reason: 'trial over' },
      headers: { 'x-request-id': `raw ${'r'.repeat(300)}` },
    });
    expect(destroyed.status).toBe(202);
    const answeredId = destroyed.headers.get('x-request-id');
    expect(answeredId).toMatch(/^[0-9a-f-]{36}$/);

    expect(await auditOf(jobId)).toEqual([
      {
        action: 'extend',
        principal: expect.stringMatching(/^key:[0-9a-f]{12}$/),
        request_id: 'audit-extend-1',
        detail: { expires_at: later },
      },
      {
        action: 'destroy',
        principal: expect.stringMatching(/^key:[0-9a-f]{12}$/),
        request_id: answeredId,
        detail: { reason: 'trial over' },
      },
    ]);
    await eventually(
      () => statusOf(gateway, jobId),
      (s) => s.status === 'destroyed',
    );
  });

  it('records who cancelled a provisioning job, and no row for an action refused', async () => {
    const jobId = await submit(slowGateway);
    await eventually(
      () => statusOf(slowGateway, jobId),
      (s) => s.current_step === 'tofu_apply',
    );
    const cancel = await slowGateway.call(`/provisioning/jobs/${jobId}/cancel`, {
      method: 'POST',
      headers: { 'x-request-id': 'audit-cancel-1' },
    });
    expect(cancel.status).toBe(202);
    expect(await auditOf(jobId)).toEqual([
      {
        action: 'cancel',
        principal: expect.stringMatching(/^key:[0-9a-f]{12}$/),
        request_id: 'audit-cancel-1',
        detail: {},
      },
    ]);
    // A refused action is not an action taken: no row.
    expect((await slowGateway.call(`/provisioning/jobs/${jobId}/extend`, { method: 'POST', json: {} })).status).toBe(
      400,
    );
    await eventually(
      () => statusOf(slowGateway, jobId),
      (s) => ['cancelled', 'failed'].includes(s.status as string),
    );
    expect(await auditOf(jobId)).toHaveLength(1);
  });
});

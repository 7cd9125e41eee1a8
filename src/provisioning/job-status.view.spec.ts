import type { ProvisioningJobEntity } from '../persistence/provisioning-job.entity';
import { COMPLETED_MESSAGE, resourceNames, toStatusView } from './job-status.view';

const at = new Date('2026-01-01T00:00:00Z');

function aJob(over: Partial<ProvisioningJobEntity>): ProvisioningJobEntity {
  return Object.assign(new (class {})() as ProvisioningJobEntity, {
    jobId: '123e4567-e89b-12d3-a456-426614174000',
    tenantId: '550e8400-e29b-41d4-a716-446655440000',
    tenantSlug: 'acme',
    pocTier: 'standard',
    priority: 'standard',
    status: 'queued',
    message: 'Waiting for a worker',
    currentStep: null,
    completedSteps: 0,
    totalSteps: 0,
    progressPercent: 0,
    planSummary: null,
    provisionedResources: null,
    serviceEndpoints: null,
    errorMessage: null,
    errorDetails: null,
    expiresAt: at,
    queuedAt: at,
    startedAt: null,
    completedAt: null,
    updatedAt: at,
    createdAt: at,
    estimatedDurationSeconds: 900,
    actualDurationSeconds: null,
    retryCount: 0,
    artifacts: {},
    ...over,
  });
}

describe('resourceNames', () => {
  it("names each resource, in the seed's key order, from the stack's objects or plain names", () => {
    const names = resourceNames({
      vpc_network: { name: 'acme-vpc' },
      database_instance: 'acme-db',
      gke_cluster: { name: 'acme-gke', node_count: 2 },
    });
    expect(Object.entries(names)).toEqual([
      ['gke_cluster', 'acme-gke'],
      ['database_instance', 'acme-db'],
      ['vpc_network', 'acme-vpc'],
    ]);
  });

  it('leaves out a resource without a name', () => {
    expect(resourceNames({ gke_cluster: { node_count: 2 }, vpc_network: null })).toEqual({});
  });
});

describe('toStatusView', () => {
  it('shows the drift of a live environment, and none once it is destroyed or before any is found', () => {
    const resources = [
      { address: 'module.poc.localcloud_cluster.gke_cluster', action: 'update' as const, attributes: ['labels'] },
    ];
    const drifted = { driftDetectedAt: at, driftResources: resources };
    expect(toStatusView(aJob({ status: 'completed', ...drifted })).drift).toEqual({
      detected_at: '2026-01-01T00:00:00.000Z',
      resources,
    });
    expect(toStatusView(aJob({ status: 'destroyed', ...drifted })).drift).toBeNull();
    expect(toStatusView(aJob({ status: 'completed', driftDetectedAt: null, driftResources: null })).drift).toBeNull();
    expect(toStatusView(aJob({ status: 'completed' })).drift).toBeNull();
  });

  it("starts with the seed's fields in the seed's order", () => {
    expect(Object.keys(toStatusView(aJob({}))).slice(0, 6)).toEqual([
      'success',
      'job_id',
      'status',
      'message',
      'provisioned_resources',
      'service_endpoints',
    ]);
  });

  it("says a completed job in the seed's words and keeps the step's own message beside it", () => {
    const view = toStatusView(
      aJob({
        status: 'completed',
        message: 'Environment ready',
        provisionedResources: { gke_cluster: { name: 'acme-gke', node_count: 2 } },
      }),
    );
    expect(view).toMatchObject({
      message: COMPLETED_MESSAGE,
      step_message: 'Environment ready',
      provisioned_resources: { gke_cluster: 'acme-gke' },
      resources: { gke_cluster: { name: 'acme-gke', node_count: 2 } },
      error_message: null,
      error_details: null,
    });
  });

  it('gives the error only of a failed or cancelled job', () => {
    const failed = { errorMessage: 'apply failed', errorDetails: { code: 'TOFU_APPLY_FAILED' } };
    expect(toStatusView(aJob({ status: 'failed', ...failed }))).toMatchObject({ error_message: 'apply failed' });
    expect(toStatusView(aJob({ status: 'provisioning', ...failed }))).toMatchObject({ error_message: null });
  });
});

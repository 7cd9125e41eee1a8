import type { SweptJob, WorkflowPresence } from '../../src/domain/reconciliation';
import { findDiscrepancies, planRepair, type DiscrepancySnapshot } from './find-discrepancies';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const HOUR = 3600_000;
const ago = (ms: number) => new Date(NOW - ms).toISOString();

let n = 0;
function job(
  over: Partial<SweptJob> & { workflow?: WorkflowPresence } = {},
): SweptJob & { workflow: WorkflowPresence } {
  n += 1;
  return {
    jobId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    tenantId: `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    tenantSlug: `tenant-${n}`,
    status: 'completed',
    workflowId: `poc-${n}`,
    expiresAt: new Date(NOW + 24 * HOUR).toISOString(),
    updatedAt: ago(HOUR),
    workflow: 'running',
    ...over,
  };
}

const snapshot = (over: Partial<DiscrepancySnapshot>): DiscrepancySnapshot => ({
  now: NOW,
  graceMs: 10 * 60_000,
  liveJobs: [],
  workspaces: [],
  states: [],
  ...over,
});

describe('findDiscrepancies', () => {
  it('finds nothing when every live job has its running workflow, workspace and state', () => {
    const j = job();
    expect(
      findDiscrepancies(
        snapshot({ liveJobs: [j], workspaces: [j.jobId], states: [{ tenantId: j.tenantId, resources: 3 }] }),
      ),
    ).toEqual([]);
  });

  it('finds a queued job whose workflow was never started', () => {
    const j = job({ status: 'queued', workflow: 'missing' });
    expect(findDiscrepancies(snapshot({ liveJobs: [j] }))).toEqual([
      { kind: 'job_without_workflow', jobId: j.jobId, tenantSlug: j.tenantSlug, status: 'queued', workflow: 'missing' },
    ]);
  });

  it('leaves a job alone while it is younger than the grace period', () => {
    const j = job({ status: 'queued', workflow: 'missing', updatedAt: ago(60_000) });
    expect(findDiscrepancies(snapshot({ liveJobs: [j] }))).toEqual([]);
  });

  it.each(['closed', 'missing'] as const)('finds a completed job whose workflow is %s', (workflow) => {
    const j = job({ workflow });
    expect(findDiscrepancies(snapshot({ liveJobs: [j] }))).toEqual([
      { kind: 'workflow_gone', jobId: j.jobId, tenantSlug: j.tenantSlug, status: 'completed', workflow },
    ]);
  });

  it('finds an environment past its expiry and the grace period that its running workflow has not destroyed', () => {
    const j = job({ expiresAt: ago(HOUR) });
    expect(findDiscrepancies(snapshot({ liveJobs: [j] }))).toEqual([
      {
        kind: 'expired_not_destroyed',
        jobId: j.jobId,
        tenantSlug: j.tenantSlug,
        workflowId: j.workflowId,
        expiresAt: j.expiresAt,
      },
    ]);
  });

  it('does not count an environment that expired within the grace period, nor one already destroying', () => {
    const justExpired = job({ expiresAt: ago(60_000) });
    const destroying = job({ status: 'destroying', expiresAt: ago(HOUR) });
    expect(findDiscrepancies(snapshot({ liveJobs: [justExpired, destroying] }))).toEqual([]);
  });

  it('finds workspaces and state that no live job owns', () => {
    const j = job();
    const found = findDiscrepancies(
      snapshot({
        liveJobs: [j],
        workspaces: [j.jobId, 'a-finished-job'],
        states: [
          { tenantId: j.tenantId, resources: 3 },
          { tenantId: 'gone-tenant', resources: 0 },
        ],
      }),
    );
    expect(found).toEqual([
      { kind: 'orphan_workspace', jobId: 'a-finished-job' },
      { kind: 'orphan_state', tenantId: 'gone-tenant', resources: 0 },
    ]);
  });

  it('treats the workspace of a job in a terminal status as an orphan', () => {
    const failed = job({ status: 'failed' });
    expect(findDiscrepancies(snapshot({ liveJobs: [failed], workspaces: [failed.jobId] }))).toEqual([
      { kind: 'orphan_workspace', jobId: failed.jobId },
    ]);
  });
});

describe('findDiscrepancies over the cloud (labelled resources no state tracks)', () => {
  const labelled = (tenantId: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({ tenantId, tenantSlug: 'acme', resource: `r${i}` }));

  it('finds labelled resources of a tenant without a live job and without state', () => {
    const tenantId = '20000000-0000-4000-8000-000000000001';
    expect(findDiscrepancies(snapshot({ cloud: labelled(tenantId, 2) }))).toEqual([
      { kind: 'untracked_resources', tenantId, tenantSlug: 'acme', resources: ['r0', 'r1'], tracked: 0 },
    ]);
  });

  it('finds more labelled resources than the state of a tenant without a live job tracks', () => {
    const tenantId = '20000000-0000-4000-8000-000000000002';
    const found = findDiscrepancies(snapshot({ cloud: labelled(tenantId, 3), states: [{ tenantId, resources: 2 }] }));
    expect(found).toContainEqual(expect.objectContaining({ kind: 'untracked_resources', tenantId, tracked: 2 }));
  });

  it('leaves the resources of a live job alone: its state may lag behind an apply in progress', () => {
    const j = job({ status: 'provisioning' });
    expect(findDiscrepancies(snapshot({ liveJobs: [j], cloud: labelled(j.tenantId, 3) }))).toEqual([]);
  });

  it('finds nothing when the state of a tenant without a live job tracks every labelled resource', () => {
    const tenantId = '20000000-0000-4000-8000-000000000003';
    const found = findDiscrepancies(snapshot({ cloud: labelled(tenantId, 3), states: [{ tenantId, resources: 3 }] }));
    expect(found.filter((f) => f.kind === 'untracked_resources')).toEqual([]);
  });

  it('reports the state of a tenant without a live job that it cannot open (Cloud KMS), and compares no labelled resources with it', () => {
    const tenantId = '20000000-0000-4000-8000-000000000004';
    const found = findDiscrepancies(
      snapshot({ cloud: labelled(tenantId, 3), states: [{ tenantId, resources: null }] }),
    );
    expect(found).toEqual([{ kind: 'orphan_state', tenantId, resources: null }]);
  });

  it('marks an orphan workspace holding unsaved state', () => {
    const failed = job({ status: 'failed' });
    expect(
      findDiscrepancies(
        snapshot({ liveJobs: [failed], workspaces: [failed.jobId], unsavedStateWorkspaces: [failed.jobId] }),
      ),
    ).toEqual([{ kind: 'orphan_workspace', jobId: failed.jobId, unsavedState: true }]);
  });
});

describe('findDiscrepancies over destroyed environments (the proof of deletion run again)', () => {
  const tenantId = '30000000-0000-4000-8000-000000000001';
  const destroyed = (resources: string[]) => [{ jobId: 'job-destroyed', tenantId, tenantSlug: 'acme', resources }];

  it('names the destroyed job of a tenant whose labels or names are still in the cloud', () => {
    expect(findDiscrepancies(snapshot({ destroyed: destroyed(['projects/local/networks/b', 'a']) }))).toEqual([
      {
        kind: 'resources_after_destroy',
        jobId: 'job-destroyed',
        tenantId,
        tenantSlug: 'acme',
        resources: ['a', 'projects/local/networks/b'],
      },
    ]);
  });

  it('finds nothing for a destroyed environment that left nothing', () => {
    expect(findDiscrepancies(snapshot({ destroyed: destroyed([]) }))).toEqual([]);
  });

  it('leaves a tenant with a live job since alone: the resources are its new environment', () => {
    const j = job({ tenantId, status: 'provisioning' });
    expect(findDiscrepancies(snapshot({ liveJobs: [j], destroyed: destroyed(['a']) }))).toEqual([]);
  });

  it('reports labelled resources of a destroyed tenant once, named for its job, not again as untracked', () => {
    const found = findDiscrepancies(
      snapshot({ destroyed: destroyed(['a']), cloud: [{ tenantId, tenantSlug: 'acme', resource: 'a' }] }),
    );
    expect(found.map((f) => f.kind)).toEqual(['resources_after_destroy']);
  });
});

describe('planRepair', () => {
  it('reports resources left after a destroy for an engineer, naming the job', () => {
    expect(
      planRepair({ kind: 'resources_after_destroy', jobId: 'j', tenantId: 't', tenantSlug: 's', resources: ['a'] }),
    ).toMatchObject({ repair: 'none', reason: expect.stringMatching(/1 resources .* destroyed \(job j\)/) });
  });

  it('never removes a workspace holding unsaved state, and reports untracked resources', () => {
    expect(planRepair({ kind: 'orphan_workspace', jobId: 'j', unsavedState: true })).toMatchObject({
      repair: 'none',
      reason: expect.stringMatching(/errored\.tfstate/),
    });
    expect(
      planRepair({ kind: 'untracked_resources', tenantId: 't', tenantSlug: 's', resources: ['a', 'b'], tracked: 0 }),
    ).toMatchObject({ repair: 'none', reason: expect.stringMatching(/2 resources .* tracks 0/) });
  });

  it('starts the missing workflow of a queued job', () => {
    expect(
      planRepair({ kind: 'job_without_workflow', jobId: 'j', tenantSlug: 's', status: 'queued', workflow: 'missing' }),
    ).toEqual({ repair: 'start_workflow', jobId: 'j' });
  });

  it('asks the running workflow of an expired environment to destroy it', () => {
    expect(
      planRepair({ kind: 'expired_not_destroyed', jobId: 'j', tenantSlug: 's', workflowId: 'w', expiresAt: ago(HOUR) }),
    ).toEqual({ repair: 'request_destroy', workflowId: 'w' });
  });

  it('removes an orphan workspace and orphan state that tracks nothing', () => {
    expect(planRepair({ kind: 'orphan_workspace', jobId: 'j' })).toEqual({ repair: 'remove_workspace', jobId: 'j' });
    expect(planRepair({ kind: 'orphan_state', tenantId: 't', resources: 0 })).toEqual({
      repair: 'remove_state',
      tenantId: 't',
    });
  });

  it('only reports orphan state that still tracks resources, and a job whose workflow is gone', () => {
    expect(planRepair({ kind: 'orphan_state', tenantId: 't', resources: 2 })).toMatchObject({
      repair: 'none',
      reason: expect.stringMatching(/2 resources/),
    });
    expect(planRepair({ kind: 'orphan_state', tenantId: 't', resources: null })).toMatchObject({
      repair: 'none',
      reason: expect.stringMatching(/cannot open here \(Cloud KMS\)/),
    });
    expect(
      planRepair({ kind: 'workflow_gone', jobId: 'j', tenantSlug: 's', status: 'completed', workflow: 'closed' }),
    ).toMatchObject({ repair: 'none', reason: expect.stringMatching(/workflow is closed/) });
  });
});

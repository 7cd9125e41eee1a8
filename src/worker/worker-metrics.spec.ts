import { Registry } from 'prom-client';
import type { ProgressUpdate } from '../domain/progress-update';
import { WorkerMetrics } from './worker-metrics';

const labels = () => Promise.resolve({ tier: 'standard', priority: 'high', queuedAt: new Date(0) });

const update = (over: Partial<ProgressUpdate>): ProgressUpdate =>
  ({
    jobId: 'job-1',
    seq: 9,
    status: 'destroying',
    step: 'tofu_destroy',
    message: 'm',
    completedSteps: 5,
    totalSteps: 5,
    kind: 'step',
    ...over,
  }) as ProgressUpdate;

describe('WorkerMetrics', () => {
  it('counts each failed destroy by tier, and not as a job that ended', async () => {
    const registry = new Registry();
    const metrics = new WorkerMetrics(registry, labels);
    const error = { code: 'TOFU_RESOURCE_FAILED', message: 'x', details: {} };
    await metrics.progressRecorded(update({ status: 'destroy_failed', kind: 'failed', error }));
    await metrics.progressRecorded(update({ status: 'destroy_failed', kind: 'failed', error }));
    await metrics.progressRecorded(update({ status: 'destroying' }));
    const text = await registry.metrics();
    expect(text).toMatch(/^poc_destroy_failures_total\{tier="standard"\} 2$/m);
    expect(text).not.toMatch(/^poc_jobs_failed_total\{/m);
  });

  it('counts each proof of deletion that found resources left, after a destroy or a compensation', async () => {
    const registry = new Registry();
    const metrics = new WorkerMetrics(registry, labels);
    const left = { code: 'RESOURCES_LEFT', message: 'x', details: { resources_left: ['a'] } };
    await metrics.progressRecorded(update({ status: 'destroy_incomplete', kind: 'failed', error: left }));
    const compensation = { code: 'TOFU_RESOURCE_FAILED', message: 'x', details: { deletion_proof: 'resources_left' } };
    await metrics.progressRecorded(update({ status: 'failed', kind: 'failed', error: compensation }));
    const clean = { code: 'TOFU_RESOURCE_FAILED', message: 'x', details: {} };
    await metrics.progressRecorded(update({ status: 'failed', kind: 'failed', error: clean }));
    const text = await registry.metrics();
    expect(text).toMatch(/^poc_deletion_proof_resources_left_total\{tier="standard",after="destroy"\} 1$/m);
    expect(text).toMatch(/^poc_deletion_proof_resources_left_total\{tier="standard",after="compensation"\} 1$/m);
    expect(text).toMatch(/^poc_jobs_failed_total\{tier="standard",priority="high"\} 2$/m);
    expect(text).not.toMatch(/^poc_destroy_failures_total\{/m);
  });
});

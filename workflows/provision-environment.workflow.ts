import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  isCancellation,
  log,
  patched,
  proxyActivities,
  type RetryPolicy,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/create-activities';
import type { JobStatus } from '../src/domain/job-status';
import type { Notification, NotificationEvent } from '../src/domain/notification';
import type { JobError, ProgressUpdate } from '../src/domain/progress-update';
import { checkExpiry } from '../src/domain/ttl-policy';
import { ExpiresAt, ProvisioningStatus } from '../src/temporal/search-attributes';
import {
  destroyNowSignal,
  destroyNowUpdate,
  extendUpdate,
  runStateQuery,
  type DestroyNowRequest,
  type DestroyNowResult,
  type ExtendRequest,
  type RunPhase,
} from './provision-environment.api';
import { tofuTaskQueue, type ProvisionOutcome, type ProvisionWorkflowInput } from './provision-environment.types';

/** Steps counted in progress_percent, in order. */
const STEPS = ['create_workspace', 'tofu_init', 'tofu_plan', 'tofu_apply', 'extract_outputs'] as const;
type Step =
  | (typeof STEPS)[number]
  | 'queued'
  | 'extend'
  | 'issue_credentials'
  | 'compensate'
  | 'waiting_for_expiry'
  | 'tofu_destroy'
  | 'cleanup_workspace';

/**
 * One provisioning request, from an empty workspace to a destroyed environment:
 * create workspace -> init -> plan -> apply -> outputs -> wait until expires_at -> destroy.
 * Any failure or cancellation destroys whatever was created before the run ends.
 */
export async function provisionEnvironment(input: ProvisionWorkflowInput): Promise<ProvisionOutcome> {
  const { jobId, request, settings } = input;
  const retry: RetryPolicy = { maximumAttempts: settings.retryAttempts, initialInterval: '2s', backoffCoefficient: 2 };
  const quick = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes', retry });
  // Read-model writes must not be lost: a database outage delays the run, it does not fail it.
  const readModel = proxyActivities<Activities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1s', maximumInterval: '1 minute' },
  });
  // tofu steps run on their own task queue, whose workers bound how many run at once
  // (MAX_CONCURRENT_PROVISIONS). Runs started before the split keep the main queue.
  const tofu = proxyActivities<Activities>({
    ...(patched('tofu-task-queue') ? { taskQueue: tofuTaskQueue(workflowInfo().taskQueue) } : {}),
    startToCloseTimeout: `${settings.tofuTimeoutSeconds} seconds`,
    // Heartbeats carry tofu's progress and let cancellation reach a running tofu.
    heartbeatTimeout: `${settings.heartbeatTimeoutSeconds ?? 60} seconds`,
    retry,
  });

  let seq = 0;
  let completed = 0;
  const report = async (
    status: JobStatus,
    step: Step,
    message: string,
    extra: DistributiveExtra = { kind: 'step' },
  ) => {
    seq += 1;
    const update = {
      jobId,
      seq,
      status,
      step,
      message,
      completedSteps: completed,
      totalSteps: STEPS.length,
      ...extra,
    } as ProgressUpdate;
    upsertSearchAttributes([{ key: ProvisioningStatus, value: status }]);
    // What the Web UI shows for this run right now (metadata only: no history event).
    setCurrentDetails(
      [
        `**${status}** · step \`${step}\` · ${completed}/${STEPS.length} steps done`,
        message,
        `expires ${new Date(expiresAt).toISOString()}`,
      ].join('\n\n'),
    );
    await readModel.recordProgress(update);
  };
  const job = { jobId, request };
  let mayHaveResources = false;
  let phase: RunPhase = 'provisioning';
  let expiresAt = Date.parse(request.poc_config.expires_at);
  let destroyReason: string | null = null;
  const createdAt = workflowInfo().startTime.getTime();

  // Webhook notifications came after the first version of this workflow: runs started before
  // them replay without (patched() is false for their histories).
  const notifying = patched('webhook-notifications');
  const notifier = proxyActivities<Activities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1s', maximumInterval: '1 minute', maximumAttempts: 8 },
  });
  const deliveries: Array<Promise<void>> = [];
  /** Sends a notification in the background: a failing webhook never fails the run. */
  const notify = (event: NotificationEvent, status: JobStatus, extra: Partial<Notification> = {}) => {
    if (!notifying) return;
    const { workflowId, runId } = workflowInfo();
    const n: Notification = {
      delivery_id: `${workflowId}/${runId}/${deliveries.length + 1}`,
      event,
      job_id: jobId,
      tenant_id: request.tenant_id,
      tenant_slug: request.tenant_slug,
      status,
      occurred_at: new Date(Date.now()).toISOString(),
      expires_at: new Date(expiresAt).toISOString(),
      ...extra,
    };
    deliveries.push(
      CancellationScope.nonCancellable(() => notifier.notify(n)).then(
        () => undefined,
        (err: unknown) => log.warn('notification not delivered', { event, error: String(err) }),
      ),
    );
  };

  setHandler(runStateQuery, () => ({ phase, expires_at: new Date(expiresAt).toISOString() }));
  setHandler(
    extendUpdate,
    async ({ expires_at }) => {
      expiresAt = Date.parse(expires_at);
      const iso = new Date(expiresAt).toISOString();
      upsertSearchAttributes([{ key: ExpiresAt, value: new Date(expiresAt) }]);
      await report(phase === 'ready' ? 'completed' : 'provisioning', 'extend', `Expiry moved to ${iso}`, {
        kind: 'expiry',
        expiresAt: iso,
      });
      return { expires_at: iso };
    },
    {
      validator: ({ expires_at }: ExtendRequest) => {
        // Typed failures: the gateway answers 409 for a state that forbids it, 400 for a bad date.
        if (phase === 'destroying' || phase === 'finished') {
          throw ApplicationFailure.create({ type: 'INVALID_STATE', message: `cannot extend while ${phase}` });
        }
        const check = checkExpiry({
          tier: request.poc_config.poc_tier,
          createdAt,
          now: Date.now(),
          requested: Date.parse(expires_at),
          current: expiresAt,
        });
        if (!check.ok)
          throw ApplicationFailure.create({ type: 'VALIDATION_FAILED', message: `expires_at ${check.reason}` });
      },
    },
  );
  const requestedDestroyReason = (): string | null => destroyReason;
  const requestDestroy = ({ reason }: { reason?: string }) => {
    destroyReason ??= reason ?? 'destroy requested';
  };
  setHandler(
    destroyNowUpdate,
    (req: DestroyNowRequest): DestroyNowResult => {
      requestDestroy(req);
      return { accepted: true };
    },
    {
      validator: (_req: DestroyNowRequest) => {
        if (phase !== 'ready') {
          throw ApplicationFailure.create({
            type: 'INVALID_STATE',
            message: `cannot destroy now while ${phase}: cancel a run that is provisioning`,
          });
        }
      },
    },
  );
  setHandler(destroyNowSignal, (req) => {
    if (phase === 'ready') requestDestroy(req);
  });

  try {
    await report('provisioning', 'create_workspace', 'Creating the workspace');
    const { workspace } = await quick.createWorkspace(job);
    completed += 1;
    await report('provisioning', 'tofu_init', 'Initialising OpenTofu', { kind: 'workspace', workspace });
    await tofu.tofuInit(job);
    completed += 1;
    await report('provisioning', 'tofu_plan', 'Planning the environment');
    const planSummary = await tofu.tofuPlan(job);
    completed += 1;
    await report('provisioning', 'tofu_apply', `Applying: ${planSummary.add} to add`, { kind: 'planned', planSummary });
    mayHaveResources = true;
    await tofu.tofuApply(job);
    completed += 1;
    await report('provisioning', 'extract_outputs', 'Reading the environment outputs');
    const env = await quick.extractOutputs(job);
    completed += 1;
    // Credentials came after the first versions of this workflow (see the replay fixtures).
    if (patched('issue-credentials')) {
      await report('provisioning', 'issue_credentials', 'Issuing access credentials');
      await quick.issueCredentials(job);
    }
    await report('completed', 'waiting_for_expiry', 'Environment ready', {
      kind: 'provisioned',
      provisionedResources: env.resources,
      serviceEndpoints: env.endpoints,
    });
    notify('environment.ready', 'completed', { service_endpoints: env.endpoints });
  } catch (err) {
    const cancelled = isCancellation(err);
    const error = describeFailure(err);
    log.warn('provisioning failed; compensating', { jobId, code: error.code, cancelled });
    // Compensation must run to its end even when the run itself was cancelled.
    await CancellationScope.nonCancellable(async () => {
      await report(mayHaveResources ? 'destroying' : 'provisioning', 'compensate', 'Removing what was created');
      let leftover: string | null = null;
      if (mayHaveResources) {
        try {
          await tofu.tofuDestroy(job);
        } catch (destroyErr) {
          leftover = describeFailure(destroyErr).message;
        }
      }
      if (leftover === null) {
        await quick.cleanupWorkspace(job);
        if (patched('remove-state')) await quick.removeState(job);
      } else {
        // Keep workspace and state: they are what a retry or an engineer needs to finish.
        error.details = { ...error.details, compensation: 'incomplete', compensation_error: leftover };
      }
      await report(cancelled ? 'cancelled' : 'failed', 'compensate', error.message, { kind: 'failed', error });
    });
    notify(cancelled ? 'environment.cancelled' : 'environment.failed', cancelled ? 'cancelled' : 'failed', {
      error: { code: error.code, message: error.message },
    });
    await Promise.all(deliveries);
    if (cancelled) throw err;
    return { outcome: 'failed', jobId, code: error.code, message: error.message };
  }

  // The durable cleanup timer: sleeps until expiry, re-armed when `extend` moves it, cut short
  // by `destroyNow`; wakes earlier for each reminder lead time before the expiry.
  phase = 'ready';
  const leads = notifying ? (settings.reminderLeadSeconds ?? []).map((s) => s * 1000) : [];
  const reminded = new Set<string>();
  for (;;) {
    const armedFor = expiresAt;
    const now = Date.now();
    const remaining = armedFor - now;
    if (destroyReason !== null || remaining <= 0) break;
    const pending = leads.filter((lead) => !reminded.has(`${armedFor}/${lead}`));
    const due = pending.filter((lead) => armedFor - lead <= now);
    if (due.length > 0) {
      due.forEach((lead) => reminded.add(`${armedFor}/${lead}`));
      notify('environment.expiring_soon', 'completed');
      continue;
    }
    const wait = Math.min(remaining, ...pending.map((lead) => armedFor - lead - now));
    const woken = await condition(() => destroyReason !== null || expiresAt !== armedFor, wait);
    if (!woken && wait === remaining) break;
  }

  phase = 'destroying';
  // Read through a function: the handlers assign it, which control-flow narrowing cannot see.
  const reason = requestedDestroyReason();
  const why = reason === null ? 'Expired' : `Destroy requested (${reason})`;
  await CancellationScope.nonCancellable(async () => {
    await report('destroying', 'tofu_destroy', `${why}: destroying the environment`);
    await tofu.tofuDestroy(job);
    // Destroy first, then remove the workspace: never the other way round.
    await report('destroying', 'cleanup_workspace', 'Removing the workspace');
    await quick.cleanupWorkspace(job);
    if (patched('remove-state')) await quick.removeState(job);
    await report('destroyed', 'cleanup_workspace', 'Environment destroyed');
  });
  phase = 'finished';
  notify('environment.destroyed', 'destroyed');
  await Promise.all(deliveries);
  // An update that was accepted just before the end still gets its answer.
  await condition(allHandlersFinished);
  return { outcome: 'destroyed', jobId };
}

type DistributiveExtra = ProgressUpdate extends infer U
  ? U extends ProgressUpdate
    ? Omit<U, 'jobId' | 'seq' | 'status' | 'step' | 'message' | 'completedSteps' | 'totalSteps'>
    : never
  : never;

/** The error a failed run records: the activity's coded failure when there is one. */
function describeFailure(err: unknown): JobError {
  if (isCancellation(err)) return { code: 'CANCELLED', message: 'Provisioning was cancelled', details: {} };
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) {
    const [details] = (cause.details ?? []) as [Record<string, unknown> | undefined];
    return { code: cause.type ?? 'ACTIVITY_FAILED', message: cause.message, details: details ?? {} };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'WORKFLOW_FAILED', message, details: {} };
}

import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  isCancellation,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  type RetryPolicy,
  setCurrentDetails,
  setHandler,
  sleep,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/create-activities';
import { describeDrift, nextDriftCheckDelayMs, sameDrift, type DriftReport } from '../src/domain/drift';
import { actionsFor, TERMINAL_STATUSES, type JobStatus } from '../src/domain/job-state-machine';
import { RESOURCES_LEFT, type DeletionProof } from '../src/domain/deletion-proof';
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
import { DELIVER_NOTIFICATION_WORKFLOW, type deliverNotification } from './deliver-notification.workflow';
import { ACTIVITY_TIMEOUT_SECONDS } from './activity-timeouts';
import { PATCHES } from './patches';
import {
  driftTaskQueue,
  tofuTaskQueue,
  type ProvisionOutcome,
  type ProvisionWorkflowInput,
} from './provision-environment.types';

/** The coded failure of a step whose dependency (state backend, database) stayed away (activity-failure.ts). */
const DEPENDENCY_UNAVAILABLE = 'DEPENDENCY_UNAVAILABLE';
/** How long a tofu step waits for an absent dependency before it runs again. */
const DEPENDENCY_WAIT = '30 seconds';

/** Heartbeat timeout of a drift check (its activity heartbeats every 5 s: a third of it). */
const DRIFT_CHECK_HEARTBEAT_SECONDS = 15;

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
  | 'prove_deletion'
  | 'cleanup_workspace'
  | 'drift_check'
  | 'drift_repair';

/**
 * One provisioning request, from an empty workspace to a destroyed environment:
 * create workspace -> init -> plan -> apply -> outputs -> wait until expires_at -> destroy.
 * Any failure or cancellation destroys whatever was created before the run ends.
 */
export async function provisionEnvironment(input: ProvisionWorkflowInput): Promise<ProvisionOutcome> {
  const { jobId, request, settings } = input;
  const retry: RetryPolicy = { maximumAttempts: settings.retryAttempts, initialInterval: '2s', backoffCoefficient: 2 };
  const quick = proxyActivities<Activities>({
    startToCloseTimeout: `${ACTIVITY_TIMEOUT_SECONDS.quick} seconds`,
    retry,
  });
  // Read-model writes must not be lost: a database outage delays the run, it does not fail it.
  const readModelRetry: RetryPolicy = { initialInterval: '1s', maximumInterval: '1 minute' };
  // Newer runs write progress as local activities (ADR 0029): run by the worker that runs the
  // workflow, within its workflow task, recorded as a marker: no activity task, no extra
  // workflow task per write. No scheduleToClose and no maximumAttempts: retried until the
  // database is back. Backoffs past localRetryThreshold wait on a workflow timer instead of
  // holding the workflow task open.
  // Writes an Update handler asks for stay regular activities: a local activity awaited by a
  // handler left Updates unanswered under racing extends (the server rejected them as
  // UnprocessedUpdate after their write had landed; test/integration/provision-workflow-faults).
  const localReports = patched(PATCHES.localProgressWrites);
  const readModel = proxyActivities<Activities>({
    startToCloseTimeout: `${ACTIVITY_TIMEOUT_SECONDS.readModel} seconds`,
    retry: readModelRetry,
  });
  const localReadModel = localReports
    ? proxyLocalActivities<Activities>({
        startToCloseTimeout: `${ACTIVITY_TIMEOUT_SECONDS.readModel} seconds`,
        localRetryThreshold: `${ACTIVITY_TIMEOUT_SECONDS.readModel} seconds`,
        retry: readModelRetry,
      })
    : readModel;
  // Steps that only wait on dependencies (database, state backend): an outage delays them, it
  // does not use up attempts; a coded permanent failure still stops them.
  const durable = proxyActivities<Activities>({
    startToCloseTimeout: `${ACTIVITY_TIMEOUT_SECONDS.durable} seconds`,
    retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });
  // tofu steps run on their own task queue, whose workers bound how many run at once
  // (MAX_CONCURRENT_PROVISIONS). Runs started before the split keep the main queue.
  const onTofuQueue = patched(PATCHES.tofuTaskQueue);
  // A dependency away for a whole attempt (DEPENDENCY_UNAVAILABLE) is not one of tofu's own
  // failures: the attempt ends at once and the step waits and runs again with fresh attempts.
  const dependencyWaits = patched(PATCHES.dependencyWaits);
  const tofuOptions = {
    ...(onTofuQueue ? { taskQueue: tofuTaskQueue(workflowInfo().taskQueue) } : {}),
    startToCloseTimeout: `${settings.tofuTimeoutSeconds} seconds`,
    // Heartbeats carry tofu's progress and let cancellation reach a running tofu.
    heartbeatTimeout: `${settings.heartbeatTimeoutSeconds ?? 60} seconds`,
    retry: dependencyWaits ? { ...retry, nonRetryableErrorTypes: [DEPENDENCY_UNAVAILABLE] } : retry,
  } as const;
  const tofu = proxyActivities<Activities>(tofuOptions);
  /** Runs a tofu step; while its dependency stays away, waits and runs it again. */
  const tofuStep = async <R>(call: () => Promise<R>): Promise<R> => {
    for (;;) {
      try {
        return await call();
      } catch (err) {
        if (!dependencyWaits || failureCode(err) !== DEPENDENCY_UNAVAILABLE) throw err;
        log.warn('a dependency of a tofu step is away; waiting before running it again', { error: String(err) });
        await sleep(DEPENDENCY_WAIT);
      }
    }
  };

  // Read-model writes go one at a time in the order they are asked for (seq order = write
  // order), whether the main path or an Update handler asks: a later write never races an
  // earlier one, so none is dropped as stale and the status never moves backwards.
  const serialReports = patched(PATCHES.serialReports);
  let seq = 0;
  let completed = 0;
  /** The status last reported: what the handlers' validators and the run state read. */
  let status: JobStatus = 'queued';
  let writes: Promise<unknown> = Promise.resolve();
  /**
   * Records one step. `next` 'unchanged' keeps the status of the step before it (an extend
   * reports the phase the job is in when its write takes its place in line). `from` 'handler'
   * for a write an Update handler awaits (a regular activity, see localReadModel).
   */
  const report = (
    next: JobStatus | 'unchanged',
    step: Step,
    message: string,
    extra: DistributiveExtra = { kind: 'step' },
    from: 'run' | 'handler' = 'run',
  ): Promise<void> => {
    if (next !== 'unchanged') status = next;
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
    const write = async () => {
      upsertSearchAttributes([{ key: ProvisioningStatus, value: update.status }]);
      // What the Web UI shows for this run right now (metadata only: no history event).
      setCurrentDetails(
        [
          `**${update.status}** · step \`${step}\` · ${update.completedSteps}/${STEPS.length} steps done`,
          message,
          `expires ${new Date(expiresAt).toISOString()}`,
        ].join('\n\n'),
      );
      await recordSurvivingBadData(update, from === 'run' ? localReadModel : readModel);
    };
    if (!serialReports) return write();
    const mine = writes.then(write);
    writes = mine.catch(() => undefined);
    return mine;
  };
  /**
   * Writes an update; the read-model proxy retries every failure but one that no retry can fix
   * (the data itself refused). Such a write is recorded once more without its free text, and if
   * even that is refused it is logged and skipped: a bad byte never holds the lifecycle hostage.
   */
  const recordSurvivingBadData = async (
    update: ProgressUpdate,
    writer: Pick<Activities, 'recordProgress'>,
  ): Promise<void> => {
    try {
      await writer.recordProgress(update);
      return;
    } catch (err) {
      if (isCancellation(err) || !serialReports) throw err;
      log.warn('read-model write refused; recording it without its text', { seq: update.seq, error: String(err) });
    }
    const plain: ProgressUpdate =
      update.kind === 'failed'
        ? { ...update, message: UNRECORDABLE, error: { code: update.error.code, message: UNRECORDABLE, details: {} } }
        : { ...baseOf(update), kind: 'step', message: UNRECORDABLE };
    try {
      await writer.recordProgress(plain);
    } catch (err) {
      if (isCancellation(err)) throw err;
      log.error('read-model write refused twice; skipped', { seq: update.seq, error: String(err) });
    }
  };
  const job = { jobId, request };
  let mayHaveResources = false;
  let phase: RunPhase = 'provisioning';
  let expiresAt = Date.parse(request.poc_config.expires_at);
  let destroyReason: string | null = null;
  const createdAt = workflowInfo().startTime.getTime();

  // Webhook notifications came after the first version of this workflow: runs started before
  // them replay without (patched() is false for their histories).
  const notifying = patched(PATCHES.webhookNotifications);
  const notifier = proxyActivities<Activities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1s', maximumInterval: '1 minute', maximumAttempts: 8 },
  });
  const deliveries: Array<Promise<void>> = [];
  /**
   * Sends a notification in the background: a failing webhook never fails the run. Newer runs
   * hand it to a child workflow that outlives the run, so the run waits only for the child to
   * start, never for a slow receiver (the tenant is free as soon as it is destroyed).
   */
  const notify = (event: NotificationEvent, reported: JobStatus, extra: Partial<Notification> = {}) => {
    if (!notifying) return;
    const { workflowId, runId } = workflowInfo();
    const index = deliveries.length + 1;
    const n: Notification = {
      delivery_id: `${workflowId}/${runId}/${index}`,
      event,
      job_id: jobId,
      tenant_id: request.tenant_id,
      tenant_slug: request.tenant_slug,
      status: reported,
      occurred_at: new Date(Date.now()).toISOString(),
      expires_at: new Date(expiresAt).toISOString(),
      ...extra,
    };
    const delivery: () => Promise<unknown> = patched(PATCHES.notifyOutsideRun)
      ? () =>
          startChild<typeof deliverNotification>(DELIVER_NOTIFICATION_WORKFLOW, {
            // From the job (workflow input), not the run's ids: a replay must issue the same id.
            workflowId: `poc-notify-${jobId}-${index}`,
            args: [n],
            parentClosePolicy: ParentClosePolicy.ABANDON,
            memo: workflowInfo().memo,
          })
      : () => notifier.notify(n);
    deliveries.push(
      CancellationScope.nonCancellable(delivery).then(
        () => undefined,
        (err: unknown) => log.warn('notification not delivered', { event, error: String(err) }),
      ),
    );
  };

  /**
   * What a caller may do now: the state machine's actions for the reported status (newer runs,
   * the same rule the API applies to the read model), or the phase rules of older runs.
   */
  const allowed = (action: 'can_extend' | 'can_destroy'): boolean => {
    // A destroy already asked for (it may be waiting for a drift check to stop) admits neither
    // an extend nor a second destroy, whatever the last reported status says.
    if (serialReports) return destroyReason === null && actionsFor(status)[action];
    if (action === 'can_extend') return phase !== 'destroying' && phase !== 'finished';
    return phase === 'ready' || status === 'destroy_failed' || status === 'destroy_incomplete';
  };
  setHandler(runStateQuery, () => ({ phase: phaseOf(status), status, expires_at: new Date(expiresAt).toISOString() }));
  setHandler(
    extendUpdate,
    async ({ expires_at }) => {
      expiresAt = Date.parse(expires_at);
      const iso = new Date(expiresAt).toISOString();
      upsertSearchAttributes([{ key: ExpiresAt, value: new Date(expiresAt) }]);
      // Older runs derived the status from the phase; newer ones report the status of the step
      // before the extend in line, so an extend never moves the job backwards.
      const legacy = phase === 'ready' ? 'completed' : 'provisioning';
      await report(
        serialReports ? 'unchanged' : legacy,
        'extend',
        `Expiry moved to ${iso}`,
        { kind: 'expiry', expiresAt: iso },
        'handler',
      );
      return { expires_at: iso };
    },
    {
      validator: ({ expires_at }: ExtendRequest) => {
        // Typed failures: the gateway answers 409 for a state that forbids it, 400 for a bad date.
        if (!allowed('can_extend')) {
          const when = destroyReason !== null ? 'once a destroy was requested' : `while ${status}`;
          throw ApplicationFailure.create({ type: 'INVALID_STATE', message: `cannot extend ${when}` });
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
  /** What starts the destroy, for its step messages. Read through a function: the handlers assign it. */
  const destroyWhy = (): string => {
    const reason = requestedDestroyReason();
    return reason === null ? 'Expired' : `Destroy requested (${reason})`;
  };
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
        if (!allowed('can_destroy')) {
          throw ApplicationFailure.create({
            type: 'INVALID_STATE',
            message:
              destroyReason !== null
                ? 'cannot destroy now: a destroy was already requested'
                : `cannot destroy now while ${status}: cancel a run that is provisioning`,
          });
        }
      },
    },
  );
  setHandler(destroyNowSignal, (req) => {
    if (allowed('can_destroy')) requestDestroy(req);
  });

  /** Addresses of what the tenant's state still tracks after a failed destroy; null when it cannot be read. */
  const resourcesLeft = async (): Promise<string[] | null> => {
    try {
      return await tofuStep(() => tofu.stateResources(job));
    } catch (err) {
      log.warn('could not list what the failed destroy left', { error: String(err) });
      return null;
    }
  };
  /**
   * A destroy that did not succeed: the job becomes destroy_failed with the error and what the
   * state still holds (workspace and state are kept), the backend is told, and the run waits for
   * its retry (holdForRetry). Returns why the next attempt runs.
   */
  const destroyFailed = async (err: unknown, attempt: number): Promise<string> => {
    const error = describeFailure(err);
    const left = await resourcesLeft();
    return holdForRetry('destroy_failed', 'tofu_destroy', error, left, attempt);
  };
  /**
   * A destroy whose proof of deletion found resources of the tenant left in the cloud (ADR 27):
   * destroy_incomplete, naming them, retried like a failed destroy.
   */
  const destroyIncomplete = async (resources: string[], attempt: number): Promise<string> => {
    log.warn('the proof of deletion found resources left; the destroy is incomplete', {
      resources: resources.length,
      attempt,
    });
    const error: JobError = {
      code: RESOURCES_LEFT,
      message: `${resources.length} ${resources.length === 1 ? 'resource' : 'resources'} of the tenant ${resources.length === 1 ? 'is' : 'are'} still in the cloud`,
      details: {},
    };
    return holdForRetry('destroy_incomplete', 'prove_deletion', error, resources, attempt);
  };
  /**
   * Records the job `status` with the error, what is left and when the next attempt runs, tells
   * the backend, and waits on a durable timer (doubling from DESTROY_RETRY_INITIAL up to
   * DESTROY_RETRY_MAX) or until a caller asks again (POST /destroy). Returns why the next attempt runs.
   */
  const holdForRetry = async (
    held: 'destroy_failed' | 'destroy_incomplete',
    step: Step,
    error: JobError,
    left: string[] | null,
    attempt: number,
  ): Promise<string> => {
    const initial = (settings.destroyRetryInitialSeconds ?? 3600) * 1000;
    const waitMs = Math.min(initial * 2 ** (attempt - 1), (settings.destroyRetryMaxSeconds ?? 86_400) * 1000);
    const nextRetryAt = new Date(Date.now() + waitMs).toISOString();
    error.details = { ...error.details, resources_left: left, attempt, next_retry_at: nextRetryAt };
    destroyReason = null;
    const what = held === 'destroy_failed' ? 'Destroy failed' : 'Destroy incomplete';
    await report(held, step, `${what} (attempt ${attempt}): ${error.message}`, { kind: 'failed', error });
    notify(`environment.${held}`, held, {
      error: { code: error.code, message: error.message },
      ...(left ? { resources_left: left } : {}),
      next_retry_at: nextRetryAt,
    });
    const asked = await condition(() => destroyReason !== null, waitMs);
    const again = requestedDestroyReason();
    return asked && again !== null ? `Destroy retried (${again})` : `Destroy retried after attempt ${attempt} failed`;
  };
  /**
   * Proof of deletion, for runs that have it: what the cloud still holds of the tenant after
   * tofu's destroy, or nothing_left for runs that predate it.
   */
  const proveDeletion = async (proving: boolean): Promise<DeletionProof> => {
    if (!proving) return { outcome: 'nothing_left' };
    await report('unchanged', 'prove_deletion', 'Searching the cloud for what is left of the environment');
    return quick.proveDeletion(job);
  };

  /**
   * Runs a step while the report of its start is written (newer runs): the write keeps its place
   * in line (every later report waits for it), the step does not wait for the write. Older runs
   * wrote first, then ran the step. Resolves with the step's result; rejects with the first failure.
   */
  const reportedStep = async <R>(reporting: Promise<void>, step: () => Promise<R>): Promise<R> => {
    if (!localReports) {
      await reporting;
      return step();
    }
    const [, result] = await Promise.all([reporting, step()]);
    return result;
  };

  try {
    const { workspace } = await reportedStep(report('provisioning', 'create_workspace', 'Creating the workspace'), () =>
      quick.createWorkspace(job),
    );
    completed += 1;
    await reportedStep(
      report('provisioning', 'tofu_init', 'Initialising OpenTofu', { kind: 'workspace', workspace }),
      () => tofuStep(() => tofu.tofuInit(job)),
    );
    completed += 1;
    const planSummary = await reportedStep(report('provisioning', 'tofu_plan', 'Planning the environment'), () =>
      tofuStep(() => tofu.tofuPlan(job)),
    );
    completed += 1;
    const applying = report('provisioning', 'tofu_apply', `Applying: ${planSummary.add} to add`, {
      kind: 'planned',
      planSummary,
    });
    await reportedStep(applying, () => {
      mayHaveResources = true;
      return tofuStep(() => tofu.tofuApply(job));
    });
    completed += 1;
    // Reads outputs from the state backend: a database outage must delay it, not fail the job.
    const env = await reportedStep(report('provisioning', 'extract_outputs', 'Reading the environment outputs'), () =>
      durable.extractOutputs(job),
    );
    completed += 1;
    // Credentials came after the first versions of this workflow (see the replay fixtures).
    if (patched(PATCHES.issueCredentials)) {
      await reportedStep(report('provisioning', 'issue_credentials', 'Issuing access credentials'), () =>
        durable.issueCredentials(job),
      );
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
          await tofuStep(() => tofu.tofuDestroy(job));
        } catch (destroyErr) {
          leftover = describeFailure(destroyErr).message;
        }
        // The compensation proves its deletion too, but never holds the run's end on it: what
        // it finds is recorded and told (the sweep keeps finding it until it is gone).
        if (leftover === null && patched(PATCHES.proofOfDeletion)) {
          const proof = await proveDeletion(true).catch((proofErr: unknown) => {
            error.details = {
              ...error.details,
              deletion_proof: 'not_run',
              deletion_proof_error: describeFailure(proofErr).message,
            };
            return null;
          });
          if (proof?.outcome === 'resources_left') {
            log.warn('the compensation left resources in the cloud', { resources: proof.resources.length });
            error.details = { ...error.details, deletion_proof: 'resources_left', resources_left: proof.resources };
          }
        }
      }
      if (leftover === null) {
        // A workspace holding state tofu could not save, or state that still tracks resources,
        // is refused removal (UNSAVED_STATE_KEPT, STATE_STILL_TRACKS_RESOURCES): kept, reported.
        try {
          await quick.cleanupWorkspace(job);
          if (patched(PATCHES.removeState)) await durable.removeState(job);
        } catch (cleanupErr) {
          leftover = describeFailure(cleanupErr).message;
        }
      }
      if (leftover !== null) {
        // Keep workspace and state: they are what a retry or an engineer needs to finish.
        error.details = { ...error.details, compensation: 'incomplete', compensation_error: leftover };
        if (patched(PATCHES.compensationResourcesLeft)) error.details.resources_left = await resourcesLeft();
      }
      await report(cancelled ? 'cancelled' : 'failed', 'compensate', error.message, { kind: 'failed', error });
    });
    const proofLeft = error.details.deletion_proof === 'resources_left' ? error.details.resources_left : undefined;
    notify(cancelled ? 'environment.cancelled' : 'environment.failed', cancelled ? 'cancelled' : 'failed', {
      error: { code: error.code, message: error.message },
      ...(Array.isArray(proofLeft) ? { resources_left: proofLeft as string[] } : {}),
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
  // Drift checks came after the wait below was first written: runs started before them, and
  // runs whose settings carry none, wait exactly as they did (no marker, no timer, no draw).
  const driftSettings = settings.driftCheck && patched(PATCHES.driftChecks) ? settings.driftCheck : null;
  const driftDelay = () =>
    driftSettings ? nextDriftCheckDelayMs(driftSettings, request.poc_config.poc_tier, Math.random()) : null;
  const driftActivities = proxyActivities<Activities>({
    taskQueue: driftTaskQueue(workflowInfo().taskQueue),
    startToCloseTimeout: `${settings.tofuTimeoutSeconds} seconds`,
    // Short: a cancellation reaches the check with a heartbeat's answer (sent at most every
    // 0.8 × this), and the destroy it makes way for waits that long at most.
    heartbeatTimeout: `${DRIFT_CHECK_HEARTBEAT_SECONDS} seconds`,
    // A check that keeps failing waits for the next interval; it never fails the run.
    retry: { initialInterval: '5s', backoffCoefficient: 2, maximumAttempts: 3 },
    // A cancelled check stops its tofu before the destroy starts in the same workspace.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  // A repair cancelled by a destroy request stops its tofu before the destroy starts.
  // Its heartbeat timeout is the check's: a cancellation reaches it with a heartbeat's answer,
  // sent at most every 0.8 × that timeout (tofu steps' 60 s would keep the destroy waiting ~48 s).
  const repairTofu = proxyActivities<Activities>({
    ...tofuOptions,
    heartbeatTimeout: `${DRIFT_CHECK_HEARTBEAT_SECONDS} seconds`,
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  /** The drift last reported (null: none, or cleared since). */
  let drift: DriftReport | null = null;
  // A destroy that cancels a check never cuts a drift write short: what is recorded matches `drift`.
  const reportDrift = (...args: Parameters<typeof report>) => CancellationScope.nonCancellable(() => report(...args));
  /**
   * One drift check: a new or changed finding is recorded (read model, job_events) and sent
   * (`environment.drifted`) once; a drift found gone again is recorded cleared; with the repair
   * policy the saved configuration is planned and applied again with the provisioning verbs.
   * A failed check or repair is logged (and a failed repair recorded); the next interval tries again.
   */
  const checkDrift = async (): Promise<void> => {
    const found = await driftActivities.detectDrift(job);
    const seenAt = new Date(Date.now()).toISOString();
    if (!found.drifted) {
      if (drift === null) return;
      drift = null;
      await reportDrift('unchanged', 'drift_check', 'Drift cleared: the environment matches its configuration again', {
        kind: 'drift',
        drift: null,
        cleared: 'resolved',
      });
      return;
    }
    if (drift === null || !sameDrift(drift.resources, found.resources)) {
      drift = { detected_at: drift?.detected_at ?? seenAt, resources: found.resources };
      await reportDrift('unchanged', 'drift_check', `Drift detected: ${describeDrift(found.resources)}`, {
        kind: 'drift',
        drift,
      });
      notify('environment.drifted', 'completed', { drift });
    }
    if (driftSettings?.policy !== 'repair') return;
    await reportDrift('unchanged', 'drift_repair', 'Repairing drift: applying the saved configuration again');
    try {
      await tofuStep(() => repairTofu.tofuPlan(job));
      await tofuStep(() => repairTofu.tofuApply(job));
    } catch (err) {
      if (isCancellation(err)) throw err;
      const { code, message } = describeFailure(err);
      await reportDrift('unchanged', 'drift_repair', `Drift repair failed (${code}): ${message}`);
      return;
    }
    drift = null;
    await reportDrift('unchanged', 'drift_repair', 'Drift repaired: the saved configuration was applied again', {
      kind: 'drift',
      drift: null,
      cleared: 'repaired',
    });
  };
  /**
   * Runs a drift check that a destroy request or the expiry cuts short: the check (its tofu
   * stopped) is cancelled and the run goes on to destroy at once.
   */
  const checkDriftUnlessDestroyed = async (): Promise<void> => {
    const work = new CancellationScope();
    const watch = new CancellationScope();
    const checked = work.run(checkDrift).then(
      () => 'checked' as const,
      (err: unknown) => {
        if (isCancellation(err)) return 'checked' as const;
        // The activity's coded cause, not the wrapper's "Activity task failed".
        const { code, message } = describeFailure(err);
        log.warn('drift check failed; the next one tries again', { code, error: message });
        return 'checked' as const;
      },
    );
    const untilExpiry = Math.max(expiresAt - Date.now(), 1);
    const stopped = watch
      .run(() => condition(() => destroyReason !== null, untilExpiry))
      .then(
        () => 'stopped' as const,
        () => 'checked' as const,
      );
    if ((await Promise.race([checked, stopped])) === 'stopped') {
      work.cancel();
      // The caller sees the destroy at once, not when the check's tofu has stopped (up to a
      // heartbeat's answer away): the status is destroying while the check winds down.
      if (destroyReason !== null)
        await report('destroying', 'tofu_destroy', `${destroyWhy()}: stopping the drift check first`);
    } else watch.cancel();
    await Promise.all([checked, stopped]);
  };
  const delay = driftDelay();
  let nextDriftCheckAt = delay === null ? Infinity : Date.now() + delay;
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
    if (nextDriftCheckAt <= now) {
      await checkDriftUnlessDestroyed();
      nextDriftCheckAt = Date.now() + (driftDelay() ?? Infinity);
      continue;
    }
    const wait = Math.min(remaining, nextDriftCheckAt - now, ...pending.map((lead) => armedFor - lead - now));
    const woken = await condition(() => destroyReason !== null || expiresAt !== armedFor, wait);
    if (!woken && wait === remaining) break;
  }

  phase = 'destroying';
  let why = destroyWhy();
  await CancellationScope.nonCancellable(async () => {
    // Runs that reach their destroy with this version prove it (ADR 27); a run whose history
    // passed here before keeps its old shape.
    const proving = patched(PATCHES.proofOfDeletion);
    for (let attempt = 1; ; attempt += 1) {
      await report('destroying', 'tofu_destroy', `${why}: destroying the environment`);
      let left: string[] = [];
      try {
        await tofuStep(() => tofu.tofuDestroy(job));
        // Proved before the workspace and state go: a retry then runs the same steps from the
        // same workspace, and nothing is dropped while the cloud still holds the tenant's resources.
        const proof = await proveDeletion(proving);
        if (proof.outcome === 'resources_left') left = proof.resources;
        else {
          // Destroy first, then remove the workspace: never the other way round. A removal the
          // activities refuse (unsaved state, state still tracking resources) fails this attempt
          // like a failed destroy: nothing is dropped while it may still describe resources.
          await report('destroying', 'cleanup_workspace', 'Removing the workspace');
          await quick.cleanupWorkspace(job);
          if (patched(PATCHES.removeState)) await durable.removeState(job);
          break;
        }
      } catch (err) {
        // Older runs ended FAILED here, leaving the job `destroying` with nobody driving it.
        if (!patched(PATCHES.destroyFailedRetries)) throw err;
        why = await destroyFailed(err, attempt);
        continue;
      }
      why = await destroyIncomplete(left, attempt);
    }
    await report('destroyed', 'cleanup_workspace', 'Environment destroyed');
  });
  phase = 'finished';
  notify('environment.destroyed', 'destroyed');
  await Promise.all(deliveries);
  // An update that was accepted just before the end still gets its answer.
  await condition(allHandlersFinished);
  return { outcome: 'destroyed', jobId };
}

/** What a write says when its own text could not be stored. */
const UNRECORDABLE = 'This step was recorded without its message: the read model refused its text';

/** The update without its kind-specific fields. */
function baseOf(u: ProgressUpdate): Omit<Extract<ProgressUpdate, { kind: 'step' }>, 'kind'> {
  const { jobId, seq, status, step, message, completedSteps, totalSteps } = u;
  return { jobId, seq, status, step, message, completedSteps, totalSteps };
}

/** The run phase a status belongs to (the runState query's summary). */
function phaseOf(status: JobStatus): RunPhase {
  if (status === 'completed') return 'ready';
  if (status === 'destroying' || status === 'destroy_failed' || status === 'destroy_incomplete') return status;
  if (TERMINAL_STATUSES.includes(status)) return 'finished';
  return 'provisioning';
}

type DistributiveExtra = ProgressUpdate extends infer U
  ? U extends ProgressUpdate
    ? Omit<U, 'jobId' | 'seq' | 'status' | 'step' | 'message' | 'completedSteps' | 'totalSteps'>
    : never
  : never;

/** The failure code of an activity's coded failure (its ApplicationFailure type), if any. */
function failureCode(err: unknown): string | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}

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

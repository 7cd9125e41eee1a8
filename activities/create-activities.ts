import { Context } from '@temporalio/activity';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PlanSummary, ProgressUpdate } from '../src/domain/progress-update';
import type { ProvisionRequest } from '../src/domain/provision-request';
import { generateCredentials } from '../src/domain/access-credentials';
import type { Notification } from '../src/domain/notification';
import type { SecretBox } from '../src/crypto/secret-box';
import { DomainError } from '../src/domain/domain-error';
import type { DeletionProof } from '../src/domain/deletion-proof';
import { withFailureMapping } from './activity-failure';
import type { ArtifactStore } from './artifacts/artifact-store';
import { latestVerbLogs, retainUntil } from './artifacts/run-artifacts';
import { NO_ACTIVITY_METRICS, type ActivityMetrics, type TofuStep } from './activity-metrics';
import { createReconcileActivities, type ReconcileDeps } from './reconcile/reconcile-activities';
import { sendWebhook, type WebhookResult, type WebhookTarget } from './notify/send-webhook';
import { toProvisionedEnvironment, type ProvisionedEnvironment } from './tofu/environment-outputs';
import {
  BACKEND_OVERRIDE_FILE,
  prepareStateBackend,
  stateBackendSetup,
  type StateBackendConfig,
} from './state/state-backend';
import {
  ENCRYPTION_OVERRIDE_FILE,
  encryptionEnv,
  encryptionOverride,
  type StateEncryption,
} from './state/state-encryption';
import { stateBackendProbe, waitForStateBackend, type BackendProbe } from './state/backend-reachability';
import { holdsUnsavedState, pushUnsavedState, ERRORED_STATE_FILE } from './tofu/unsaved-state';
import { cloudInventoryFor, type CloudInventory } from './reconcile/cloud-inventory';
import { applyAdopting } from './tofu/adopt-existing';
import { stackTofuEnv, type TofuContext } from './tofu/tofu-context';
import { tofuDestroy } from './tofu/tofu-destroy';
import { tofuInit } from './tofu/tofu-init';
import { advanceProgress, type TofuProgress } from './tofu/tofu-json-messages';
import { tofuOutput } from './tofu/tofu-output';
import { PLAN_FILE, tofuPlan } from './tofu/tofu-plan';
import { tofuStateList } from './tofu/tofu-state-list';
import { tofuPlanRefreshOnly } from './tofu/tofu-plan-refresh-only';
import type { DriftCheckResult } from '../src/domain/drift';
import { writeCliConfig, type ProviderSource } from './tofu/provider-source';
import { buildTfvars, type LocalStackSimulation } from './workspace/tfvars';
import {
  materializeWorkspace,
  mirrorFingerprint,
  removeWorkspace,
  sourceFingerprint,
  workspaceDir,
} from './workspace/workspace-files';

/** What the activities need from the outside world; tests pass real or fake ones. */
export interface ActivityDeps {
  jobs: {
    recordProgress(update: ProgressUpdate): Promise<boolean>;
    storeCredentials(jobId: string, sealed: string): Promise<boolean>;
    /** Counts a retried tofu step in the read model (retry_count). */
    recordRetry(jobId: string): Promise<void>;
    /** Links stored run artifacts from the job (name → address). */
    recordArtifacts(jobId: string, links: Record<string, string>): Promise<void>;
  };
  /** Where tofu state lives, to remove it once the environment is destroyed (and to find orphans). */
  state: ReconcileDeps['state'];
  /** The read model as the reconciliation sweep sees it. */
  reconciliation: ReconcileDeps['records'];
  /** Temporal, as the reconciliation sweep asks it about provisioning runs. */
  workflows: ReconcileDeps['workflows'];
  /** Seals credentials before they are stored (purpose-derived from the master key). */
  credentialsBox: SecretBox;
  /** The signup backend's webhook; notifications are skipped when it has no URL. */
  webhook: WebhookTarget;
  tofu: {
    binary: string;
    terraformDir: string;
    stack: string;
    /** Google Cloud project (gcp stack only). */
    projectId?: string;
    workspaceRoot: string;
    environmentRoot: string;
    killGraceSeconds: number;
    /** Where init gets provider plugins (a shared cache, or a read-only mirror). */
    providers: ProviderSource;
    /** Where tofu state lives: Postgres (pg backend) or a GCS bucket (gcs backend). */
    stateBackend: StateBackendConfig;
    /** How tofu encrypts state and plans (ADR 22). */
    stateEncryption: StateEncryption;
    simulation: LocalStackSimulation;
  };
  /** Where step durations, retries and webhook failures are reported; nothing is recorded without it. */
  metrics?: ActivityMetrics;
  /** Plans and tofu logs per job (GCS); none kept when absent. */
  artifacts?: ArtifactStore;
  /**
   * Where the sweep looks for resources carrying the engine's labels that no state tracks. By
   * default: the local stack's marker files, or Cloud Asset Inventory for the gcp stack.
   */
  inventory?: CloudInventory;
  /** Asks the state backend whether it answers (default: a probe of `tofu.stateBackend`). */
  stateBackendProbe?: BackendProbe;
}

/** Identifies the job an activity works on; enough to rebuild its workspace anywhere. */
export interface JobRef {
  jobId: string;
  request: ProvisionRequest;
}

/** Heartbeat at least this often, and three times per heartbeat timeout, even when tofu is quiet. */
const MAX_HEARTBEAT_INTERVAL_MS = 10_000;

/** The tofu CLI configuration the engine writes (under the workspace root, outside any job). */
const CLI_CONFIG_FILE = '.tofu-cli.tfrc';

/** What sources and provider packages a workspace was initialised from (see initMark). */
const INIT_MARK = join('.terraform', 'engine-sources');

/** The provider checksums tofu recorded at a workspace's init. */
const LOCK_FILE = '.terraform.lock.hcl';

/**
 * Times one attempt runs a tofu step again after its state backend went away and came back.
 * The outage itself is waited out (bounded by the attempt's start-to-close timeout); this only
 * bounds a backend that keeps answering the probe while tofu keeps failing on it.
 */
const MAX_DEPENDENCY_RERUNS = 5;

/** How one run of a step in an attempt came about. */
export interface StepRun {
  /** True when the state backend failed a previous run of this step in the same attempt. */
  again: boolean;
}

/** Builds the engine's activities around their dependencies. */
export function createActivities(deps: ActivityDeps) {
  const t = deps.tofu;
  const metrics = deps.metrics ?? NO_ACTIVITY_METRICS;
  const inventory = deps.inventory ?? cloudInventoryFor(t);

  /** Runs one tofu step and reports its duration and outcome (a failed attempt counts too). */
  const measured = async <R>(step: TofuStep, job: JobRef, fn: () => Promise<R>): Promise<R> => {
    const started = process.hrtime.bigint();
    const observe = (outcome: 'success' | 'failure') =>
      metrics.stepFinished({
        step,
        tier: job.request.poc_config.poc_tier,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
        outcome,
        attempt: Context.current().info.attempt,
      });
    try {
      const result = await fn();
      observe('success');
      return result;
    } catch (err) {
      observe('failure');
      throw err;
    }
  };

  const prepare = (job: JobRef) =>
    materializeWorkspace(
      { workspaceRoot: t.workspaceRoot, terraformDir: t.terraformDir, stack: t.stack },
      job.jobId,
      buildTfvars(job.request, {
        stack: t.stack,
        projectId: t.projectId,
        environmentRoot: t.environmentRoot,
        simulation: t.simulation,
      }),
    );

  /**
   * Keeps a verb's logs (and `extra` files) as the job's artifacts. An artifact store that
   * fails must not fail the step it documents: the failure is logged and the step goes on.
   */
  const keepArtifacts = async (job: JobRef, workspace: string, verb: string, extra: Record<string, string> = {}) => {
    const store = deps.artifacts;
    if (!store) return;
    try {
      const until = retainUntil(job.request, Date.now());
      const logs = await latestVerbLogs(workspace, verb);
      const files: Record<string, Buffer | string | undefined> = {
        [`${verb}.jsonl`]: logs.stdout,
        [`${verb}.stderr.log`]: logs.stderr,
        ...extra,
      };
      const links: Record<string, string> = {};
      for (const [name, body] of Object.entries(files)) {
        if (body !== undefined && body.length > 0) links[name] = await store.put(job.jobId, name, body, until);
      }
      await deps.jobs.recordArtifacts(job.jobId, links);
    } catch (err) {
      Context.current().log.warn('run artifacts not stored', { verb, error: (err as Error).message });
    }
  };

  // tofu's CLI configuration depends on configuration only: written once per process (again
  // after a failed write).
  const cliConfigFile = join(t.workspaceRoot, CLI_CONFIG_FILE);
  let cliConfigWritten: Promise<void> | undefined;
  const cliConfig = () =>
    (cliConfigWritten ??= writeCliConfig(cliConfigFile, t.providers).catch((err: unknown) => {
      cliConfigWritten = undefined;
      throw err;
    }));

  /** `tofu init`: concurrent inits share the plugin cache, which tofu locks itself (ADR 22). */
  const init = (ctx: TofuContext) => tofuInit(ctx);

  const probe = deps.stateBackendProbe ?? stateBackendProbe(t.stateBackend);
  let fingerprint: Promise<string> | undefined;
  const sources = () =>
    (fingerprint ??= sourceFingerprint({
      workspaceRoot: t.workspaceRoot,
      terraformDir: t.terraformDir,
      stack: t.stack,
    }));

  /**
   * The sources a workspace is made from now, then the mirror's provider packages now (read each
   * time, not once per worker: `npm run tools` may rebuild a local provider under a running
   * stack; an image's mirror never changes).
   */
  const initMark = async () =>
    `${await sources()}\n${t.providers.kind === 'mirror' ? await mirrorFingerprint(t.providers.dir) : ''}`;
  const markOf = (workspace: string) => readFile(join(workspace, INIT_MARK), 'utf8').catch(() => '');

  /** Whether `tofu init` ran in the workspace with the sources and provider packages there are now. */
  const initialised = async (workspace: string): Promise<boolean> => {
    if (!existsSync(join(workspace, '.terraform', 'terraform.tfstate'))) return false;
    return (await markOf(workspace)) === (await initMark());
  };

  /**
   * `tofu init` in the workspace, recording what it was made from. When the mirror's packages
   * changed since the last init, the lock file goes first: tofu refuses every verb (and init
   * itself) while its recorded checksums do not match the package, and the mirror is the only
   * place providers come from, so the lock is recorded again from it.
   */
  const initWorkspace = async (ctx: TofuContext, workspace: string) => {
    const [before, now] = await Promise.all([markOf(workspace), initMark()]);
    if (before.split('\n')[1] !== now.split('\n')[1]) await rm(join(workspace, LOCK_FILE), { force: true });
    await init(ctx);
    await writeFile(join(workspace, INIT_MARK), now);
  };

  /**
   * Runs `fn` in the job's workspace, heartbeating tofu's progress meanwhile:
   * 1. read-model bookkeeping (the retry count) is best effort: the read model being away never
   *    fails a tofu step;
   * 2. waits until the state backend answers (heartbeating, cancellable, bounded by the
   *    attempt's start-to-close timeout) instead of failing while it is away;
   * 3. initialises the workspace if it never was (or was from other sources);
   * 4. pushes back state an earlier run could not save (errored.tfstate) before anything else;
   * 5. runs `fn`; when it fails because the state backend went away, waits for it again, pushes
   *    the state tofu could not save, and runs `fn` again (`again: true`) in the same attempt,
   *    so an outage does not spend the attempts meant for tofu's own failures.
   */
  const inWorkspace = async <R>(
    job: JobRef,
    fn: (ctx: TofuContext, run: StepRun) => Promise<R>,
    opts: { alwaysInit?: boolean } = {},
  ): Promise<R> => {
    const workspace = await prepare(job);
    const activity = Context.current();
    if (activity.info.attempt > 1) {
      await deps.jobs.recordRetry(job.jobId).catch((err: unknown) => {
        activity.log.warn('retry not counted in the read model', { error: (err as Error).message });
      });
    }
    let progress: TofuProgress & { waiting_for?: string } = { planned: 0, done: 0, errored: 0 };
    const beat = () => activity.heartbeat(progress);
    const every = Math.min(MAX_HEARTBEAT_INTERVAL_MS, (activity.info.heartbeatTimeoutMs ?? Infinity) / 3);
    const timer = setInterval(beat, every);
    try {
      await cliConfig();
      const backend = stateBackendSetup(t.stateBackend, job.request.tenant_id);
      await writeFile(join(workspace, BACKEND_OVERRIDE_FILE), backend.backendOverride);
      await writeFile(join(workspace, ENCRYPTION_OVERRIDE_FILE), encryptionOverride(t.stateEncryption));
      const ctx: TofuContext = {
        binary: t.binary,
        workspace,
        env: {
          ...tofuEnv(),
          ...stackTofuEnv(t.stack),
          ...backend.env,
          ...encryptionEnv(t.stateEncryption),
          TF_CLI_CONFIG_FILE: cliConfigFile,
        },
        initArgs: backend.initArgs,
        killGraceMs: t.killGraceSeconds * 1000,
        signal: activity.cancellationSignal,
        onMessage: (m) => {
          progress = advanceProgress(progress, m);
          beat();
        },
      };
      let warned = false;
      const backendAnswers = async () => {
        await waitForStateBackend(probe, {
          signal: activity.cancellationSignal,
          deadline: attemptDeadline(activity.info),
          onWaiting: (reason) => {
            progress = { ...progress, waiting_for: 'state_backend' };
            beat();
            if (!warned) activity.log.warn('waiting for the tofu state backend', { reason });
            warned = true;
          },
        });
        if (progress.waiting_for) progress = { ...progress, waiting_for: undefined };
      };
      for (let run = 0; ; run += 1) {
        await backendAnswers();
        try {
          // The tenant's place in the backend exists before tofu runs: no tofu run takes the
          // backend's shared creation lock (ADR 18). An outage here is an outage like any other.
          await prepareStateBackend(t.stateBackend, job.request.tenant_id);
          if (opts.alwaysInit || !(await initialised(workspace))) await initWorkspace(ctx, workspace);
          if ((await pushUnsavedState(ctx)).pushed)
            activity.log.warn(`pushed the state an earlier run could not save (${ERRORED_STATE_FILE})`);
          return await fn(ctx, { again: run > 0 });
        } catch (err) {
          const outage = await backendOutage(err, probe);
          if (!outage || run >= MAX_DEPENDENCY_RERUNS) {
            if (holdsUnsavedState(workspace) && !outage && !activity.cancellationSignal.aborted) await pushNow(ctx);
            throw outage && !(err instanceof DomainError && err.code === 'DEPENDENCY_UNAVAILABLE')
              ? dependencyFailure(err as Error)
              : err;
          }
          activity.log.warn('the tofu state backend failed a step; waiting for it, then running the step again', {
            error: (err as Error).message,
          });
        }
      }
    } finally {
      clearInterval(timer);
    }
  };

  /** Pushes unsaved state right away where it was written (a retry may run on another worker). */
  const pushNow = async (ctx: TofuContext) => {
    try {
      await pushUnsavedState(ctx);
    } catch (err) {
      Context.current().log.warn(`${ERRORED_STATE_FILE} not pushed yet; it stays in the workspace`, {
        error: (err as Error).message,
      });
    }
  };

  return withFailureMapping({
    async createWorkspace(job: JobRef): Promise<{ workspace: string }> {
      return { workspace: await prepare(job) };
    },

    async tofuInit(job: JobRef): Promise<void> {
      await measured('init', job, () => inWorkspace(job, () => Promise.resolve(), { alwaysInit: true }));
    },

    async tofuPlan(job: JobRef): Promise<PlanSummary> {
      return measured('plan', job, () =>
        inWorkspace(job, async (ctx) => {
          const summary = await tofuPlan(ctx);
          await keepArtifacts(job, ctx.workspace, 'plan', { 'plan-summary.json': JSON.stringify(summary) });
          return summary;
        }),
      );
    },

    async tofuApply(job: JobRef): Promise<{ applied: number }> {
      return measured('apply', job, () =>
        inWorkspace(job, async (ctx, run) => {
          // A retry, a run again after a state backend outage, or a worker that did not make
          // the plan, plans again against the current state: what an interrupted apply already
          // created (and its pushed state recorded) is then not created twice.
          const planMissing = !existsSync(join(ctx.workspace, PLAN_FILE));
          if (planMissing || run.again || Context.current().info.attempt > 1) await tofuPlan(ctx);
          try {
            return await applyAdopting(ctx, job.request.tenant_id, (addresses) => {
              Context.current().log.warn('adopting resources an earlier apply created but did not record', {
                addresses,
              });
            });
          } finally {
            // A failed apply's log is the artifact most worth keeping.
            await keepArtifacts(job, ctx.workspace, 'apply');
          }
        }),
      );
    },

    async extractOutputs(job: JobRef): Promise<ProvisionedEnvironment> {
      return inWorkspace(job, async (ctx) => toProvisionedEnvironment(await tofuOutput(ctx)));
    },

    async tofuDestroy(job: JobRef): Promise<{ destroyed: number }> {
      return measured('destroy', job, () => inWorkspace(job, (ctx) => tofuDestroy(ctx)));
    },

    /**
     * Compares the live environment with its state (`tofu plan -refresh-only`) and names what
     * differs; changes neither. Runs on the drift task queue (DRIFT_CHECK_CONCURRENCY).
     */
    async detectDrift(job: JobRef): Promise<DriftCheckResult> {
      return measured('drift_check', job, () => inWorkspace(job, (ctx) => tofuPlanRefreshOnly(ctx)));
    },

    /** Addresses of the resources the job's state still tracks (what a failed destroy left). */
    async stateResources(job: JobRef): Promise<string[]> {
      return inWorkspace(job, (ctx) => tofuStateList(ctx));
    },

    /**
     * Proof of deletion (ADR 27): what the cloud still holds of the job's tenant, found by its
     * `tenant_id` label and by the names modules/poc-names gives it, whoever made it. A cloud
     * that cannot be searched is DEPENDENCY_UNAVAILABLE (retried; the destroy is not called done).
     */
    async proveDeletion(job: JobRef): Promise<DeletionProof> {
      const tenant = { tenantId: job.request.tenant_id, tenantSlug: job.request.tenant_slug };
      const resources = await inventory.tenantResources(tenant).catch((err: unknown) => {
        throw new DomainError(
          'DEPENDENCY_UNAVAILABLE',
          `the cloud could not be searched: ${(err as Error).message}`,
          [],
          {
            dependency: 'cloud_inventory',
          },
        );
      });
      if (resources.length === 0) return { outcome: 'nothing_left' };
      // How many, not which: the names carry the tenant's slug, and the job's error details hold them.
      Context.current().log.warn('proof of deletion found resources left in the cloud', {
        resources: resources.length,
      });
      return { outcome: 'resources_left', resources };
    },

    /**
     * Removes the workspace, unless it holds state tofu could not save (errored.tfstate): that
     * file is the only record of what a run created, so the workspace is kept and the call fails
     * with UNSAVED_STATE_KEPT (permanent) for the run to report `compensation: incomplete`.
     */
    async cleanupWorkspace(job: JobRef): Promise<void> {
      const workspace = workspaceDir(t.workspaceRoot, job.jobId);
      if (holdsUnsavedState(workspace)) {
        throw new DomainError(
          'UNSAVED_STATE_KEPT',
          `the workspace holds state tofu could not save (${ERRORED_STATE_FILE}); it is kept until that state is pushed`,
          [],
          { workspace },
        );
      }
      await removeWorkspace(t.workspaceRoot, job.jobId);
    },

    /** Generates the environment's credentials and stores them sealed; only the user name leaves. */
    async issueCredentials(job: JobRef): Promise<{ username: string }> {
      const credentials = generateCredentials(job.request.tenant_slug);
      const sealed = deps.credentialsBox.seal(Buffer.from(JSON.stringify(credentials)), job.jobId);
      await deps.jobs.storeCredentials(job.jobId, sealed.toString('base64'));
      return { username: credentials.username };
    },

    async notify(notification: Notification): Promise<WebhookResult> {
      try {
        return await sendWebhook(deps.webhook, notification, Context.current().cancellationSignal);
      } catch (err) {
        metrics.webhookFailed(notification.event);
        throw err;
      }
    },

    /**
     * Removes the tenant's state; the workflow calls it only after a successful destroy. State
     * that still tracks resources is the only map of them: it is kept, and the call fails with
     * STATE_STILL_TRACKS_RESOURCES (permanent).
     */
    async removeState(job: JobRef): Promise<void> {
      const tenantId = job.request.tenant_id.toLowerCase();
      // The store opens state encrypted with the engine's passphrases; state it cannot open
      // (Cloud KMS) is counted by tofu itself in the job's workspace.
      const resources = await deps.state.list().then(
        (states) => states.find((st) => st.tenantId.toLowerCase() === tenantId)?.resources ?? 0,
        async () => (await inWorkspace(job, (ctx) => tofuStateList(ctx))).length,
      );
      if (resources > 0) {
        throw new DomainError(
          'STATE_STILL_TRACKS_RESOURCES',
          `the tenant's state still tracks ${resources} resources; it is kept`,
          [],
          { resources },
        );
      }
      await deps.state.remove(job.request.tenant_id);
    },

    async recordProgress(update: ProgressUpdate): Promise<boolean> {
      const applied = await deps.jobs.recordProgress(update);
      // Only the write that changed the row is counted: a retried write is not a second job.
      if (applied) await metrics.progressRecorded(update);
      return applied;
    },

    ...createReconcileActivities({
      records: deps.reconciliation,
      state: deps.state,
      workflows: deps.workflows,
      workspaceRoot: t.workspaceRoot,
      inventory,
    }),
  });
}

/** The activities' type, which workflows import (types only). */
export type Activities = ReturnType<typeof createActivities>;

/**
 * When waiting inside an attempt must end: before the attempt's start-to-close timeout (with a
 * margin for the failure to reach Temporal), so the attempt ends with a coded failure.
 */
function attemptDeadline(info: { currentAttemptScheduledTimestampMs: number; startToCloseTimeoutMs: number }): number {
  const margin = Math.min(30_000, info.startToCloseTimeoutMs / 10);
  return info.currentAttemptScheduledTimestampMs + info.startToCloseTimeoutMs - margin;
}

/** Whether a failed step failed because the state backend went away (it says so, or does not answer now). */
async function backendOutage(err: unknown, probe: BackendProbe): Promise<boolean> {
  if (!(err instanceof DomainError)) return false;
  if (err.code === 'DEPENDENCY_UNAVAILABLE') return true;
  if (!err.code.startsWith('TOFU_')) return false;
  return (await probe()) !== null;
}

/** A tofu failure seen while the state backend did not answer: the outage, not tofu, is the cause. */
function dependencyFailure(err: Error): DomainError {
  return new DomainError(
    'DEPENDENCY_UNAVAILABLE',
    `the tofu state backend is unavailable: ${err.message}`,
    [],
    err instanceof DomainError ? { ...err.context, dependency: 'state_backend' } : { dependency: 'state_backend' },
  );
}

/** tofu's whole environment besides its backend's: nothing of the worker's own leaks in. */
function tofuEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
  };
}

import { Context } from '@temporalio/activity';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PlanSummary, ProgressUpdate } from '../src/domain/progress-update';
import type { ProvisionRequest } from '../src/domain/provision-request';
import { generateCredentials } from '../src/domain/access-credentials';
import type { Notification } from '../src/domain/notification';
import type { SecretBox } from '../src/crypto/secret-box';
import { withFailureMapping } from './activity-failure';
import type { ArtifactStore } from './artifacts/artifact-store';
import { latestVerbLogs, retainUntil } from './artifacts/run-artifacts';
import { NO_ACTIVITY_METRICS, type ActivityMetrics, type TofuStep } from './activity-metrics';
import { createReconcileActivities, type ReconcileDeps } from './reconcile/reconcile-activities';
import { sendWebhook, type WebhookResult, type WebhookTarget } from './notify/send-webhook';
import { toProvisionedEnvironment, type ProvisionedEnvironment } from './tofu/environment-outputs';
import { BACKEND_OVERRIDE_FILE, prepareStateBackend, type StateBackendConfig } from './state/state-backend';
import { tofuApply } from './tofu/tofu-apply';
import type { TofuContext } from './tofu/tofu-context';
import { tofuDestroy } from './tofu/tofu-destroy';
import { tofuInit } from './tofu/tofu-init';
import { advanceProgress, type TofuProgress } from './tofu/tofu-json-messages';
import { tofuOutput } from './tofu/tofu-output';
import { PLAN_FILE, tofuPlan } from './tofu/tofu-plan';
import { withPluginCacheLock } from './tofu/plugin-cache-lock';
import { writeCliConfig, type ProviderSource } from './tofu/provider-source';
import { buildTfvars, type LocalStackSimulation } from './workspace/tfvars';
import { materializeWorkspace, removeWorkspace } from './workspace/workspace-files';

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
    /** Where init gets provider plugins; a shared cache is written under a lock. */
    providers: ProviderSource;
    /** Where tofu state lives: Postgres (pg backend) or a GCS bucket (gcs backend). */
    stateBackend: StateBackendConfig;
    simulation: LocalStackSimulation;
  };
  /** Where step durations, retries and webhook failures are reported; nothing is recorded without it. */
  metrics?: ActivityMetrics;
  /** Plans and tofu logs per job (GCS); none kept when absent. */
  artifacts?: ArtifactStore;
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

/** Builds the engine's activities around their dependencies. */
export function createActivities(deps: ActivityDeps) {
  const t = deps.tofu;
  const metrics = deps.metrics ?? NO_ACTIVITY_METRICS;

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

  /** `tofu init`, one at a time per plugin cache: concurrent inits would corrupt it. */
  const init = (ctx: TofuContext) =>
    t.providers.kind === 'cache'
      ? withPluginCacheLock(t.providers.dir, ctx.signal, () => tofuInit(ctx))
      : tofuInit(ctx);

  /** Runs `fn` in the job's workspace (initialised), heartbeating tofu's progress meanwhile. */
  const inWorkspace = async <R>(
    job: JobRef,
    fn: (ctx: TofuContext) => Promise<R>,
    opts: { alwaysInit?: boolean } = {},
  ): Promise<R> => {
    const workspace = await prepare(job);
    const activity = Context.current();
    if (activity.info.attempt > 1) await deps.jobs.recordRetry(job.jobId);
    let progress: TofuProgress = { planned: 0, done: 0, errored: 0 };
    const beat = () => activity.heartbeat(progress);
    const every = Math.min(MAX_HEARTBEAT_INTERVAL_MS, (activity.info.heartbeatTimeoutMs ?? Infinity) / 3);
    const timer = setInterval(beat, every);
    await cliConfig();
    const backend = await prepareStateBackend(t.stateBackend, job.request.tenant_id);
    const override = join(workspace, BACKEND_OVERRIDE_FILE);
    await writeFile(override, backend.backendOverride);
    const ctx: TofuContext = {
      binary: t.binary,
      workspace,
      env: { ...tofuEnv(), ...backend.env, TF_CLI_CONFIG_FILE: cliConfigFile },
      initArgs: backend.initArgs,
      killGraceMs: t.killGraceSeconds * 1000,
      signal: activity.cancellationSignal,
      onMessage: (m) => {
        progress = advanceProgress(progress, m);
        beat();
      },
    };
    try {
      // A workspace rebuilt on another worker, or never initialised, needs init first.
      if (opts.alwaysInit || !existsSync(join(workspace, '.terraform', 'terraform.tfstate'))) await init(ctx);
      return await fn(ctx);
    } finally {
      clearInterval(timer);
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
        inWorkspace(job, async (ctx) => {
          // A retry, or a worker that did not make the plan, plans again against the current
          // state: what an interrupted apply already created is then not created twice.
          const planMissing = !existsSync(join(ctx.workspace, PLAN_FILE));
          if (planMissing || Context.current().info.attempt > 1) await tofuPlan(ctx);
          try {
            return await tofuApply(ctx);
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

    async cleanupWorkspace(job: JobRef): Promise<void> {
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

    /** Removes the tenant's state; the workflow calls it only after a successful destroy. */
    async removeState(job: JobRef): Promise<void> {
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
    }),
  });
}

/** The activities' type, which workflows import (types only). */
export type Activities = ReturnType<typeof createActivities>;

/** tofu's whole environment besides its backend's: nothing of the worker's own leaks in. */
function tofuEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
  };
}

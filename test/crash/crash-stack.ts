import { existsSync, mkdirSync, readdirSync, realpathSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Client } from 'pg';
import { startProcess, type ManagedProcess } from '../../scripts/stack/child-process';
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from '../../scripts/stack/embedded-postgres';
import { freePort } from '../../scripts/stack/free-port';
import { migrateDatabase } from '../../scripts/stack/migrate-database';
import { projectRoot, providerMirrorPath, toolPath } from '../../scripts/stack/project-paths';
import { listLocalCloudObjectsSync } from '../../activities/cloud/local-cloud';
import { liveResources } from '../support/local-cloud';
import { startTemporalDevServer, type TemporalDevServer } from '../../scripts/stack/temporal-dev-server';
import { waitUntilReady } from '../../scripts/stack/wait-until-ready';
import { stateSchemaName } from '../../src/domain/workflow-ids';
import type { ProvisionRequest } from '../../src/domain/provision-request';
import { descendants } from '../support/process-tree';
import { aProvisionRequest } from '../support/requests';
import { openState } from '../../activities/state/state-contents';
import { statePassphrases } from '../../activities/state/state-encryption';
import { TEST_ENCRYPTION_KEY, TEST_GATEWAY_ENV, testEnv } from '../support/test-env';
import { ALL_RESOURCES } from '../support/test-stack';

/** What the crash suite kills. */
export type Victim = 'worker' | 'gateway' | 'temporal' | 'tofu';

const API_KEY = 'crash-suite-key-0123456789abcdef';
/** Statuses a job may rest in: nothing more happens to it until someone acts or its timer fires. */
export const SETTLED = ['completed', 'failed', 'destroyed', 'cancelled', 'destroy_failed', 'destroy_incomplete'];

/** The job as the read model holds it. */
export interface JobRow {
  status: string;
  current_step: string | null;
  error_message: string | null;
  error_details: Record<string, unknown> | null;
}

/**
 * A seeded pseudo-random source (mulberry32): the crash points of a run can be replayed with
 * CRASH_SEED=<the printed seed>.
 */
export function seededRandom(label: string): { seed: number; between(min: number, max: number): number } {
  const seed = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
  // Printed so that a failing run can be reproduced.
  process.stdout.write(`crash suite ${label}: seed ${seed} (CRASH_SEED=${seed} reproduces it)\n`);
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { seed, between: (min, max) => Math.floor(min + next() * (max - min)) };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The whole engine as separate processes on services of its own: embedded Postgres (never the
 * machine's), a Temporal dev server that keeps its history in a file (so it survives SIGKILL,
 * as a real cluster does), and the built worker and gateway (dist/). Each can be killed and
 * started again; like a supervisor (Kubernetes), the stack restarts a worker or gateway that
 * exited on its own (e.g. when Temporal went away under it).
 */
export class CrashStack {
  private worker?: ManagedProcess;
  private gateway?: ManagedProcess;
  private temporal?: TemporalDevServer;
  private supervising = true;

  private constructor(
    readonly dir: string,
    readonly pg: EmbeddedPostgresServer,
    private readonly ports: { temporal: number; gateway: number },
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get environmentRoot(): string {
    return this.env.ENVIRONMENT_ROOT as string;
  }
  get workspaceRoot(): string {
    return this.env.WORKSPACE_ROOT as string;
  }

  static async start(name: string, opts: { applyDelaySeconds: number }): Promise<CrashStack> {
    const dir = join(testEnv('runDir'), `crash-${name}`);
    mkdirSync(dir, { recursive: true });
    const pg = await startEmbeddedPostgres({
      dataDir: join(dir, 'postgres'),
      port: await freePort(),
      database: 'crash',
      logFile: join(dir, 'postgres.log'),
    });
    await migrateDatabase(pg.url);
    const ports = { temporal: await freePort(), gateway: await freePort() };
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...TEST_GATEWAY_ENV,
      DATABASE_URL: pg.url,
      TEMPORAL_ADDRESS: `127.0.0.1:${ports.temporal}`,
      TEMPORAL_TASK_QUEUE: `crash-${name}`,
      PORT: String(ports.gateway),
      PROVISIONING_API_KEYS: API_KEY,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      TOFU_BINARY: toolPath('tofu'),
      TERRAFORM_DIR: join(projectRoot(), 'terraform'),
      WORKSPACE_ROOT: join(dir, 'workspaces'),
      ENVIRONMENT_ROOT: join(dir, 'environments'),
      TOFU_PROVIDER_MIRROR_DIR: providerMirrorPath(),
      TOFU_KILL_GRACE_SECONDS: '10',
      LOCAL_STACK_APPLY_DELAY_SECONDS: String(opts.applyDelaySeconds),
      // Scrape ports are fixed by default; stacks running side by side must not share them.
      METRICS_PORT: '0',
      LOG_LEVEL: 'info',
    };
    const stack = new CrashStack(dir, pg, ports, env);
    await stack.startTemporal();
    stack.startWorker();
    await stack.startGateway();
    return stack;
  }

  private async startTemporal(): Promise<void> {
    this.temporal = await startTemporalDevServer({
      binary: toolPath('temporal'),
      port: this.ports.temporal,
      dbFile: join(this.dir, 'temporal.db'),
      logFile: join(this.dir, 'temporal.log'),
    });
  }

  private startWorker(): void {
    const proc = this.node('worker', 'dist/src/worker/main.js');
    this.worker = proc;
    void proc.exited.then(() => {
      if (this.supervising && this.worker === proc) setTimeout(() => this.supervising && this.startWorker(), 1000);
    });
  }

  private async startGateway(): Promise<void> {
    const proc = this.node('gateway', 'dist/src/main.js');
    this.gateway = proc;
    void proc.exited.then(() => {
      if (this.supervising && this.gateway === proc)
        setTimeout(() => void (this.supervising && this.startGateway()), 1000);
    });
    await waitUntilReady('crash stack gateway', async () => (await fetch(`${this.api}/health/live`)).ok, {
      timeoutMs: 120_000,
      intervalMs: 250,
      process: proc,
    });
  }

  private node(name: string, entry: string): ManagedProcess {
    return startProcess(name, process.execPath, [join(projectRoot(), entry)], {
      env: this.env,
      cwd: projectRoot(),
      logFile: join(this.dir, `${name}.log`),
      // As in production, tofu (its own group) is not taken down with a worker that dies.
      ownProcessGroup: true,
    });
  }

  get api(): string {
    return `http://127.0.0.1:${this.ports.gateway}/api/v1`;
  }

  /** An API call with the stack's key; fails the test on a 429 (a test must never meet a limit). */
  async call(path: string, json?: unknown): Promise<Response> {
    const res = await fetch(`${this.api}${path}`, {
      method: json === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    if (res.status === 429) throw new Error(`rate limited on ${path}`);
    return res;
  }

  /** Submits a new tenant's request through the gateway (retrying while the gateway restarts). */
  async submit(request: ProvisionRequest = aProvisionRequest()): Promise<{ request: ProvisionRequest; jobId: string }> {
    const res = await this.retrying(() => this.call('/provisioning/provision', request));
    if (res.status !== 202) throw new Error(`submit answered ${res.status}: ${await res.text()}`);
    return { request, jobId: ((await res.json()) as { job_id: string }).job_id };
  }

  /** Asks for the job's environment to be destroyed now. */
  async destroy(jobId: string): Promise<void> {
    const res = await this.retrying(() => this.call(`/provisioning/jobs/${jobId}/destroy`, { reason: 'crash suite' }));
    if (res.status !== 202) throw new Error(`destroy answered ${res.status}: ${await res.text()}`);
  }

  private async retrying(call: () => Promise<Response>): Promise<Response> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const res = await call();
        if (res.status < 500 || attempt >= 60) return res;
      } catch (err) {
        if (attempt >= 60) throw err;
      }
      await sleep(1000);
    }
  }

  /** A query on the stack's Postgres (a new connection each time: Postgres may have restarted). */
  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: this.pg.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** The job's row, or undefined while Postgres is away. */
  async job(jobId: string): Promise<JobRow | undefined> {
    const rows = await this.query<JobRow>(
      'SELECT status, current_step, error_message, error_details FROM provisioning_jobs WHERE job_id = $1',
      [jobId],
    ).catch(() => []);
    return rows[0];
  }

  /** Polls the read model (never the API: no caller limit applies) until `done` holds. */
  async until(jobId: string, done: (job: JobRow) => boolean, timeoutMs: number): Promise<JobRow> {
    const deadline = Date.now() + timeoutMs;
    let last: JobRow | undefined;
    for (;;) {
      last = await this.job(jobId);
      if (last && done(last)) return last;
      if (Date.now() > deadline)
        throw new Error(`job ${jobId} did not get there within ${timeoutMs / 1000} s; last: ${JSON.stringify(last)}`);
      await sleep(100);
    }
  }

  /** SIGKILL to one process of the stack, then starts it again; resolves once it is back. */
  async kill(victim: Victim, tofuVerb?: 'apply' | 'destroy'): Promise<string> {
    switch (victim) {
      case 'worker':
      case 'gateway': {
        const proc = victim === 'worker' ? this.worker : this.gateway;
        proc?.child.kill('SIGKILL');
        await proc?.exited;
        // The supervisor restarts it (after a second); wait until it is back for the gateway.
        if (victim === 'gateway') await sleep(1500).then(() => this.waitForGateway());
        return `${victim} pid ${proc?.child.pid}`;
      }
      case 'temporal': {
        const proc = this.temporal?.process;
        proc?.child.kill('SIGKILL');
        await proc?.exited;
        await this.startTemporal();
        return `temporal pid ${proc?.child.pid}`;
      }
      case 'tofu': {
        const pid = this.tofuPid(tofuVerb);
        if (pid === undefined) return `no tofu ${tofuVerb ?? ''} process was running`;
        process.kill(pid, 'SIGKILL');
        return `tofu ${tofuVerb ?? ''} pid ${pid}`;
      }
    }
  }

  /** The pid of a running tofu process (the binary itself, not its local-exec children). */
  tofuPid(verb?: string): number | undefined {
    const tofu = realpathSync(toolPath('tofu'));
    const worker = this.worker?.child.pid;
    if (worker === undefined) return undefined;
    return descendants(worker).find((p) => p.exe === tofu && (!verb || p.argv.includes(verb)))?.pid;
  }

  /** Stops Postgres (fast shutdown: as a database failover or restart does) for `ms`. */
  async postgresOutage(ms: number): Promise<void> {
    await this.pg.stop();
    await sleep(ms);
    await this.pg.start();
  }

  private async waitForGateway(): Promise<void> {
    await waitUntilReady('crash stack gateway', async () => (await fetch(`${this.api}/health/live`)).ok, {
      timeoutMs: 120_000,
      intervalMs: 250,
    });
  }

  /** Resources of the local cloud that exist for the tenant (by kind). */
  markers(slug: string): string[] {
    return liveResources(this.environmentRoot, slug);
  }

  /** Resource names in the tenant's tofu state; null when it has no state. */
  async stateResources(tenantId: string): Promise<string[] | null> {
    const rows = await this.query<{ data: string }>(`SELECT data FROM "${stateSchemaName(tenantId)}".states`).catch(
      () => null,
    );
    if (!rows) return null;
    // tofu encrypts state with a key derived from the stack's ENCRYPTION_KEY (ADR 22).
    const passphrases = statePassphrases([Buffer.from(TEST_ENCRYPTION_KEY, 'base64')]);
    const states = await Promise.all(rows.map((r) => openState(r.data, passphrases)));
    return states
      .flatMap((s) => (s as { resources?: Array<{ name: string }> }).resources ?? [])
      .map((r) => r.name)
      .sort();
  }

  /** Whether the job's workspace folder exists. */
  hasWorkspace(jobId: string): boolean {
    return existsSync(join(this.workspaceRoot, jobId));
  }

  /** Files named errored.tfstate in the job's workspace (state tofu could not save). */
  erroredStates(jobId: string): string[] {
    const dir = join(this.workspaceRoot, jobId);
    if (!existsSync(dir)) return [];
    return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => basename(f) === 'errored.tfstate');
  }

  /** Workspaces, environments and state schemas of the whole stack that no job row owns. */
  async unowned(): Promise<string[]> {
    const jobs = await this.query<{ job_id: string; tenant_id: string; tenant_slug: string }>(
      'SELECT job_id, tenant_id, tenant_slug FROM provisioning_jobs',
    );
    const schemas = await this.query<{ name: string }>(
      `SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name LIKE 'tfstate\\_%'`,
    );
    const dirs = (root: string) =>
      existsSync(root)
        ? readdirSync(root, { withFileTypes: true })
            .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
            .map((d) => d.name)
        : [];
    return [
      ...dirs(this.workspaceRoot)
        .filter((d) => !jobs.some((j) => j.job_id === d))
        .map((d) => `workspace ${d} belongs to no job`),
      ...listLocalCloudObjectsSync(this.environmentRoot)
        .filter((o) => !jobs.some((j) => j.tenant_slug === o.labels?.tenant))
        .map((o) => `${o.collection}/${o.name} belongs to no job`),
      ...schemas
        .filter((s) => !jobs.some((j) => stateSchemaName(j.tenant_id) === s.name))
        .map((s) => `state ${s.name} belongs to no job`),
    ];
  }

  async stop(): Promise<void> {
    this.supervising = false;
    await this.gateway?.stop(10_000);
    await this.worker?.stop(20_000);
    // tofu runs in process groups of its own: none may outlive the test.
    for (const p of descendants(process.pid).filter((d) => d.exe.endsWith('/tofu') || d.argv[0] === 'sleep')) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    await this.temporal?.stop();
    await this.pg.stop();
  }
}

/**
 * What must hold once a job has settled, whatever was killed: every resource exists once or
 * not at all, and nothing (workspace, state, resource) is left without a job that owns it.
 * Returns a description of every breach (empty when all hold), so that a failure says all.
 */
export async function ownershipBreaches(
  stack: CrashStack,
  jobId: string,
  request: ProvisionRequest,
  job: JobRow,
): Promise<string[]> {
  const breaches: string[] = [];
  const markers = stack.markers(request.tenant_slug);
  const state = await stack.stateResources(request.tenant_id);
  const tracked = state ?? [];
  const incomplete = (job.error_details as { compensation?: string } | null)?.compensation === 'incomplete';
  const unknown = markers.filter((m) => !ALL_RESOURCES.includes(m));
  if (unknown.length) breaches.push(`unexpected resources ${unknown.join(', ')}`);
  const untracked = markers.filter((m) => !tracked.includes(m));
  if (untracked.length) breaches.push(`resources no state tracks (leaked): ${untracked.join(', ')}`);
  const phantom = tracked.filter((m) => !markers.includes(m));
  if (phantom.length) breaches.push(`state tracks resources that do not exist: ${phantom.join(', ')}`);
  if (new Set(tracked).size !== tracked.length) breaches.push(`state tracks a resource twice: ${tracked.join(', ')}`);
  if (stack.erroredStates(jobId).length) breaches.push('the workspace holds an errored.tfstate never pushed back');
  breaches.push(...(await stack.unowned()));
  switch (job.status) {
    case 'completed':
      if (markers.length !== ALL_RESOURCES.length) breaches.push(`completed with resources ${markers.join(', ')}`);
      break;
    case 'destroyed':
    case 'cancelled':
    case 'failed':
      if (markers.length > 0 && !incomplete)
        breaches.push(
          `${job.status} (not flagged compensation: incomplete) with resources left: ${markers.join(', ')}`,
        );
      if (markers.length > 0 && incomplete && !stack.hasWorkspace(jobId))
        breaches.push('resources left (compensation: incomplete) but the workspace that tracks them is gone');
      if (markers.length === 0 && tracked.length === 0 && stack.hasWorkspace(jobId))
        breaches.push(`${job.status} with nothing left, but its workspace was not removed`);
      break;
    case 'destroy_failed':
      if (!stack.hasWorkspace(jobId) && markers.length > 0)
        breaches.push('destroy_failed with resources left and no workspace');
      break;
    case 'destroy_incomplete':
      // Proof of deletion found resources (ADR 27): the retry runs from the kept workspace.
      if (!stack.hasWorkspace(jobId)) breaches.push('destroy_incomplete without the workspace its retry runs in');
      break;
    default:
      breaches.push(`not settled: ${job.status}`);
  }
  return breaches;
}

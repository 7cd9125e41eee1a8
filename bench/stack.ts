import { spawn, fork, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';
import { startProcess, type ManagedProcess } from '../scripts/stack/child-process';
import { startEmbeddedPostgres } from '../scripts/stack/embedded-postgres';
import { freePort } from '../scripts/stack/free-port';
import { migrateDatabase } from '../scripts/stack/migrate-database';
import { dataPath, projectRoot, toolPath } from '../scripts/stack/project-paths';
import { startTemporalDevServer } from '../scripts/stack/temporal-dev-server';
import { waitUntilReady } from '../scripts/stack/wait-until-ready';

/**
 * The build this bench belongs to (dist/, or a copy of an earlier one): the engine measured is
 * the one compiled with the bench, so an old build can be measured beside a new one.
 */
const BUILD = join(__dirname, '..');

/** The key the bench's gateway accepts (every scope); bench data only. */
export const BENCH_API_KEY = 'bench-key-0123456789abcdef';
/** The bench's payload key (bench data only, never a real secret). */
export const BENCH_ENCRYPTION_KEY = Buffer.from('poc-engine-bench-key-not-secret!').toString('base64');

/** The engine and its floors, running; stopped in the reverse order of starting. */
export interface BenchStack {
  dir: string;
  /** A Postgres server URL whose user may create databases (the raw tofu loop makes one per tenant). */
  serverUrl: string;
  databaseUrl: string;
  temporalAddress: string;
  gatewayUrl: string;
  floorUrl: string;
  pids: { gateway: number; worker: number; temporal: number; floor: number };
  /**
   * Starts another engine worker with the stack's environment and `env` over it (another task
   * queue, another TERRAFORM_DIR...), stopped with the stack; returns its pid.
   */
  startWorker(name: string, env: NodeJS.ProcessEnv): number;
  stop(): Promise<void>;
}

/**
 * Starts what the bench measures, each in its own process so its CPU can be read: a fresh
 * database (on BENCH_DATABASE_URL's or TEST_DATABASE_URL's server, else embedded Postgres), a
 * Temporal dev server (in memory), the engine's gateway and worker as `npm start` runs them,
 * and the floor server.
 */
export async function startBenchStack(): Promise<BenchStack> {
  const dir = dataPath(`bench-${Date.now()}`);
  mkdirSync(join(dir, 'logs'), { recursive: true });
  // Last to go: the run's folder (workspaces, environments, logs), unless BENCH_KEEP is set.
  const stops: Array<() => Promise<void>> = process.env.BENCH_KEEP
    ? []
    : [() => rm(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    let serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
    const database = `poc_bench_${Date.now()}`;
    if (!serverUrl) {
      const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'postgres'), port: await freePort(), database });
      stops.push(() => pg.stop());
      serverUrl = pg.url;
    }
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database}"`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${database}`;
    const databaseUrl = url.toString();
    stops.push(async () => {
      const a = new Client({ connectionString: serverUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await a.end();
    });
    await migrateDatabase(databaseUrl);

    const temporal = await startTemporalDevServer({
      binary: toolPath('temporal'),
      port: await freePort(),
      logFile: join(dir, 'logs', 'temporal.log'),
    });
    stops.push(() => temporal.stop());
    const temporalPid = temporal.process.child.pid!;

    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: 'bench',
      PROVISIONING_API_KEYS: BENCH_API_KEY,
      ENCRYPTION_KEY: BENCH_ENCRYPTION_KEY,
      // Callers are not what is measured: no rate limit is met.
      RATE_LIMIT_PER_MINUTE: '100000000',
      WORKSPACE_ROOT: join(dir, 'workspaces'),
      ENVIRONMENT_ROOT: join(dir, 'environments'),
      TOFU_PLUGIN_CACHE_DIR: join(dir, 'plugin-cache'),
      METRICS_PORT: String(await freePort()),
      TEMPORAL_SDK_METRICS_PORT: String(await freePort()),
      // The engine's defaults otherwise (LOG_LEVEL info, 4 tofu runs at once).
    };
    const root = projectRoot();
    const child = (name: string, entry: string, extraEnv: NodeJS.ProcessEnv = {}): ManagedProcess => {
      const proc = startProcess(name, process.execPath, [join(BUILD, entry)], {
        env: { ...env, ...extraEnv },
        cwd: root,
        logFile: join(dir, 'logs', `${name}.log`),
      });
      stops.push(() => proc.stop(30_000));
      return proc;
    };
    const worker = child('worker', 'src/worker/main.js');
    const gateway = child('gateway', 'src/main.js');
    const gatewayUrl = `http://127.0.0.1:${port}`;
    await waitUntilReady(
      'bench gateway',
      async () => {
        const res = await fetch(`${gatewayUrl}/api/v1/health`);
        return ((await res.json()) as { status?: string }).status === 'healthy';
      },
      { timeoutMs: 300_000, intervalMs: 500 },
    );

    const floor = spawn(process.execPath, [join(BUILD, 'bench/floor-server.js'), databaseUrl], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    stops.push(() => stopChild(floor));
    const floorPort = await new Promise<string>((resolve, reject) => {
      floor.stdout?.once('data', (d: Buffer) => resolve(d.toString().trim()));
      floor.once('exit', (code) => reject(new Error(`the floor server exited (${code})`)));
    });

    return {
      dir,
      serverUrl,
      databaseUrl,
      temporalAddress: temporal.address,
      gatewayUrl,
      floorUrl: `http://127.0.0.1:${floorPort}`,
      pids: { gateway: gateway.child.pid!, worker: worker.child.pid!, temporal: temporalPid, floor: floor.pid! },
      startWorker: (name, extraEnv) => child(name, 'src/worker/main.js', extraEnv).child.pid!,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Forks a bench helper (compiled beside this file) with an IPC channel. */
export function forkHelper(file: string, args: string[], execArgv: string[] = []): ChildProcess {
  return fork(join(BUILD, 'bench', file), args, { execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

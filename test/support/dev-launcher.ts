import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../scripts/stack/free-port';
import { killTree } from './process-tree';
import { TEST_GATEWAY_ENV } from './test-env';

/** The API key every launcher started by a test accepts. */
export const DEV_LAUNCHER_KEY = 'dev-launcher-test-key-0123456789';

/** `npm run dev` (dist/scripts/dev/dev-stack.js) as a terminal runs it: the leader of its own process group. */
export interface DevLauncher {
  /** The gateway's API base, e.g. http://127.0.0.1:1234/api/v1. */
  api: string;
  /** Postgres of this stack (embedded). */
  databaseUrl: string;
  /** Everything the launcher and its children printed so far. */
  output(): string;
  /** Resolves once the launcher says the stack is up; rejects if it exits first. */
  up: Promise<void>;
  exited: Promise<number | string>;
  /** Ctrl-C in the launcher's terminal: SIGINT to its whole foreground process group. */
  interrupt(): void;
  /** SIGKILL to the launcher and every process under it (cleanup after a failed test). */
  kill(): void;
  child: ChildProcess;
}

/** Free ports for a launcher whose data lives in `dataDir` (undefined: its default, .data/). */
export async function devLauncherEnv(
  dataDir: string | undefined,
  extra: Record<string, string> = {},
): Promise<NodeJS.ProcessEnv> {
  // Not process.env: the test run's DATABASE_URL or ports must not leak into the launcher.
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...TEST_GATEWAY_ENV,
    ...(dataDir ? { DEV_DATA_DIR: dataDir } : {}),
    PORT: String(await freePort()),
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    EMBEDDED_PG_PORT: String(await freePort()),
    // Scrape ports are fixed by default; tests running side by side must not share them.
    METRICS_PORT: '0',
    PROVISIONING_API_KEYS: DEV_LAUNCHER_KEY,
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** Starts the launcher of the project at `root` with `env`, its output also in `logFile`. */
export function startDevLauncher(root: string, env: NodeJS.ProcessEnv, logFile: string): DevLauncher {
  const child = spawn(process.execPath, [join(root, 'dist/scripts/dev/dev-stack.js')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // A shell puts a foreground job in a process group of its own; Ctrl-C signals that group.
    detached: true,
  });
  const log = createWriteStream(logFile, { flags: 'a' });
  let text = '';
  let onOutput = () => undefined as void;
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      log.write(chunk);
      onOutput();
    });
  }
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      log.end();
      resolve(code ?? signal ?? 'unknown');
    }),
  );
  const up = new Promise<void>((resolve, reject) => {
    onOutput = () => {
      if (text.includes('POC provisioning engine is up')) resolve();
    };
    void exited.then((code) => reject(new Error(`the launcher exited (${code}) before the stack was up:\n${text}`)));
  });
  const group = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // already gone
    }
  };
  return {
    api: `http://127.0.0.1:${env.PORT}/api/v1`,
    databaseUrl: `postgres://postgres:postgres@127.0.0.1:${env.EMBEDDED_PG_PORT}/poc_engine`,
    output: () => text,
    up,
    exited,
    interrupt: () => group('SIGINT'),
    kill: () => {
      if (child.pid !== undefined) killTree(child.pid);
    },
    child,
  };
}

/** An API call to a launcher's gateway with its key. */
export async function launcherCall(launcher: DevLauncher, path: string, json?: unknown): Promise<Response> {
  return fetch(`${launcher.api}${path}`, {
    method: json === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${DEV_LAUNCHER_KEY}` },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
}

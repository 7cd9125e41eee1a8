import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';

/** A long-running child of the launcher, with its output in a log file. */
export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  /** Resolves with the exit code (or signal) when the child has exited. */
  exited: Promise<number | string>;
  stop(graceMs?: number): Promise<void>;
}

/** Starts a child whose stdout and stderr go to `logFile` (and, when `echo`, to ours too). */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  opts: {
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    logFile: string;
    echo?: boolean;
    /** Keep terminal Ctrl-C from reaching it directly: it is stopped in order by its parent. */
    ownProcessGroup?: boolean;
    /** Run as this user and group (a root launcher running Postgres as its own user). */
    uid?: number;
    gid?: number;
    /** The signal that asks it to stop (SIGTERM unless said otherwise; Postgres: SIGINT). */
    stopSignal?: NodeJS.Signals;
  },
): ManagedProcess {
  const log = createWriteStream(opts.logFile, { flags: 'a' });
  const child = spawn(command, args, {
    env: opts.env ?? process.env,
    cwd: opts.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.ownProcessGroup ?? false,
    ...(opts.uid === undefined ? {} : { uid: opts.uid, gid: opts.gid }),
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.pipe(log, { end: false });
    if (opts.echo) stream?.on('data', (chunk: Buffer) => process.stderr.write(prefixLines(name, chunk)));
  }
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      log.end();
      resolve(code ?? signal ?? 'unknown');
    });
  });
  return {
    name,
    child,
    exited,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(opts.stopSignal ?? 'SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

function prefixLines(name: string, chunk: Buffer): string {
  return chunk
    .toString('utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => `[${name}] ${l}\n`)
    .join('');
}

import { execa, type Options } from 'execa';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tailFile } from './tail-file';
import { parseTofuLine, type TofuJsonMessage } from './tofu-json-messages';

/** One run of the tofu binary: an argv array, never a shell string. */
export interface TofuInvocation {
  binary: string;
  cwd: string;
  args: string[];
  /** The complete environment of the child: nothing of the worker's own leaks into it. */
  env: Record<string, string>;
  /** Aborting it stops tofu gracefully: SIGINT first, SIGKILL after `killGraceMs`. */
  signal?: AbortSignal;
  killGraceMs: number;
  onMessage?: (m: TofuJsonMessage) => void;
  /** Exit codes besides 0 that mean success (`plan -detailed-exitcode`: 2, changes present). */
  successExitCodes?: readonly number[];
  /** Remove the run's output files once read: output that holds values (`show -json`) never rests on disk. */
  discardOutput?: boolean;
}

/** How a tofu run ended. */
export type TofuRunResult =
  | { outcome: 'succeeded'; exitCode: number; stdout: string; messages: TofuJsonMessage[] }
  | {
      outcome: 'failed';
      /** null when tofu did not exit by itself but was ended by a signal. */
      exitCode: number | null;
      /** The signal that ended tofu (`SIGKILL` from the OOM killer, say), when one did. */
      signal?: string;
      stderr: string;
      messages: TofuJsonMessage[];
    }
  | { outcome: 'cancelled' };

/**
 * Runs tofu, streaming its -json messages to `onMessage` as they come.
 *
 * tofu writes to log files in the workspace, not to pipes, and runs in its own process group
 * without exit cleanup: if the worker process dies, tofu is not killed by a broken pipe or by
 * the worker's exit, but finishes its operation, saves state and releases the state lock. The
 * retry on another worker then waits for that lock and finds the state complete, instead of
 * creating again what the interrupted run had created but not yet recorded.
 */
export async function runTofu(inv: TofuInvocation): Promise<TofuRunResult> {
  const base = join(inv.cwd, `.tofu-${inv.args[0] ?? 'run'}-${Date.now()}`);
  const outFile = `${base}.stdout.jsonl`;
  const errFile = `${base}.stderr.log`;
  const out = openSync(outFile, 'w');
  const err = openSync(errFile, 'w');
  const lines: string[] = [];
  const messages: TofuJsonMessage[] = [];
  const tail = tailFile(outFile, (line) => {
    lines.push(line);
    const m = parseTofuLine(line);
    if (m) {
      messages.push(m);
      inv.onMessage?.(m);
    }
  });
  // execa passes a file descriptor straight to the child (its types do not list plain numbers
  // for stdout/stderr, its runtime and docs do), so no pipe through this process exists.
  const toFile = (fd: number) => fd as unknown as Options['stdout'];
  const options: Options = {
    cwd: inv.cwd,
    env: inv.env,
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    stdout: toFile(out),
    stderr: toFile(err),
    detached: true,
    cleanup: false,
    cancelSignal: inv.signal,
    // tofu treats SIGINT as "stop gracefully": it finishes in-flight resource operations,
    // writes state and releases its lock. SIGKILL only if it does not stop in time.
    killSignal: 'SIGINT',
    forceKillAfterDelay: inv.killGraceMs,
  };
  try {
    const result = await execa(inv.binary, inv.args, options);
    tail.finish();
    if (result.isCanceled) return { outcome: 'cancelled' };
    const { exitCode } = result;
    if (exitCode === 0 || (exitCode !== undefined && inv.successExitCodes?.includes(exitCode)))
      return { outcome: 'succeeded', exitCode, stdout: lines.join('\n'), messages };
    return {
      outcome: 'failed',
      exitCode: result.exitCode ?? null,
      ...(result.isTerminated && result.signal ? { signal: result.signal } : {}),
      stderr: readFileSync(errFile, 'utf8').slice(-8192),
      messages,
    };
  } finally {
    closeSync(out);
    closeSync(err);
    if (inv.discardOutput) for (const file of [outFile, errFile]) rmSync(file, { force: true });
  }
}

import { execa } from 'execa';
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
}

/** How a tofu run ended. */
export type TofuRunResult =
  | { outcome: 'succeeded'; stdout: string; messages: TofuJsonMessage[] }
  | { outcome: 'failed'; exitCode: number; stderr: string; messages: TofuJsonMessage[] }
  | { outcome: 'cancelled' };

/** Runs tofu, streaming its -json messages to `onMessage` as they come. */
export async function runTofu(inv: TofuInvocation): Promise<TofuRunResult> {
  const child = execa(inv.binary, inv.args, {
    cwd: inv.cwd,
    env: inv.env,
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    cancelSignal: inv.signal,
    // tofu treats SIGINT as "stop gracefully": it finishes in-flight resource operations,
    // writes state and releases its lock. SIGKILL only if it does not stop in time.
    killSignal: 'SIGINT',
    forceKillAfterDelay: inv.killGraceMs,
    maxBuffer: 256 * 1024 * 1024,
  });
  const messages: TofuJsonMessage[] = [];
  const lines: string[] = [];
  try {
    for await (const line of child.iterable({ from: 'stdout' })) {
      lines.push(line);
      const m = parseTofuLine(line);
      if (m) {
        messages.push(m);
        inv.onMessage?.(m);
      }
    }
  } catch {
    // The stream ends early when tofu is stopped or fails; the result below says which.
  }
  const result = await child;
  if (result.isCanceled) return { outcome: 'cancelled' };
  if (result.exitCode === 0) return { outcome: 'succeeded', stdout: lines.join('\n'), messages };
  return {
    outcome: 'failed',
    exitCode: result.exitCode ?? -1,
    stderr: String(result.stderr).slice(-8192),
    messages,
  };
}

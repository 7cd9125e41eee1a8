import type { ManagedProcess } from './child-process';

/**
 * Polls `probe` until it answers true, giving up after `timeoutMs` (with the last failure in
 * the error) or as soon as the process that should answer has exited.
 */
export async function waitUntilReady(
  what: string,
  probe: () => Promise<boolean>,
  opts: { timeoutMs: number; intervalMs: number; process?: ManagedProcess },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let exited: number | string | undefined;
  void opts.process?.exited.then((code) => (exited = code));
  let last: unknown = 'no answer';
  for (;;) {
    if (exited !== undefined) throw new Error(`${what} exited (${exited}); see its log`);
    try {
      if (await probe()) return;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`${what} not ready after ${opts.timeoutMs / 1000} s: ${String(last)}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs));
  }
}

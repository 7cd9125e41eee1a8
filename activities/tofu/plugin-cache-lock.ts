import { setTimeout as sleep } from 'node:timers/promises';
import { lock } from 'proper-lockfile';

/** A lock whose holder stops refreshing it (a killed worker) is taken over after this long. */
const STALE_MS = 30_000;
const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 2_000;

/**
 * Runs `fn` while holding the cross-process lock of a provider plugin cache folder, so that
 * only one `tofu init` at a time writes to it (OpenTofu before 1.10 corrupts a cache written
 * concurrently). Waiting honours `signal`: a cancelled activity stops waiting.
 */
export async function withPluginCacheLock<R>(
  dir: string,
  signal: AbortSignal | undefined,
  fn: () => Promise<R>,
): Promise<R> {
  let wait = RETRY_MIN_MS;
  for (;;) {
    signal?.throwIfAborted();
    let release: (() => Promise<void>) | undefined;
    try {
      release = await lock(dir, {
        stale: STALE_MS,
        realpath: false,
        lockfilePath: `${dir}/.init.lock`,
        // The default throws from a timer, which would kill the worker. A lock lost while init
        // runs (the event loop stalled past STALE_MS) cannot be won back; init goes on.
        onCompromised: () => undefined,
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
    }
    if (release) {
      try {
        return await fn();
      } finally {
        await release().catch(() => undefined); // compromised or already released: nothing to undo
      }
    }
    await sleep(wait, undefined, signal ? { signal } : undefined);
    wait = Math.min(RETRY_MAX_MS, wait * 2);
  }
}

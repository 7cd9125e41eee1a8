import { existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { DomainError } from '../../src/domain/domain-error';
import { LOCK_TIMEOUT_ARG, type TofuContext } from './tofu-context';
import { runTofuVerb } from './run-tofu-verb';

/**
 * Where tofu writes the state it could not save to its backend ("Failed to save state", e.g.
 * Postgres went away mid-apply). It is the only record of what that run created: it lives only
 * in this workspace on this worker's disk until it is pushed back.
 */
export const ERRORED_STATE_FILE = 'errored.tfstate';

/** Whether the workspace holds state tofu could not persist. */
export function holdsUnsavedState(workspace: string): boolean {
  return existsSync(join(workspace, ERRORED_STATE_FILE));
}

/**
 * Pushes the state tofu could not persist back to the backend (`tofu state push`, waiting for
 * the lock like every verb), then sets the file aside (`errored.tfstate.pushed-<ms>`, kept with
 * the workspace for an engineer). Does nothing when there is none. tofu refuses a push whose
 * lineage differs or whose serial is older than the backend's: that state cannot be merged by a
 * machine, so it is kept and the failure is UNSAVED_STATE_KEPT (permanent); a backend that is
 * away fails as DEPENDENCY_UNAVAILABLE and the file stays for the next try.
 */
export async function pushUnsavedState(ctx: TofuContext): Promise<{ pushed: boolean }> {
  const file = join(ctx.workspace, ERRORED_STATE_FILE);
  if (!existsSync(file)) return { pushed: false };
  try {
    // `state push` takes neither -input nor -json in OpenTofu 1.6.
    await runTofuVerb(ctx, 'state', ['push', LOCK_TIMEOUT_ARG, ERRORED_STATE_FILE]);
  } catch (err) {
    if (err instanceof DomainError && /lineage|serial|cannot import|newer/i.test(err.message)) {
      throw new DomainError(
        'UNSAVED_STATE_KEPT',
        `the state tofu could not save (${ERRORED_STATE_FILE}) was refused by the backend and is kept in the workspace: ${err.message}`,
        [],
        { ...err.context, workspace: ctx.workspace },
      );
    }
    throw err;
  }
  await rename(file, `${file}.pushed-${Date.now()}`);
  return { pushed: true };
}

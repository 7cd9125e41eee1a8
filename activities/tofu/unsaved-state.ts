import { existsSync } from 'node:fs';
import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ENCRYPTION_OVERRIDE_FILE } from '../state/state-encryption';
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
  const scratch = join(ctx.workspace, `.unseal-${Date.now()}`);
  try {
    // tofu writes errored.tfstate encrypted like the state, but `state push` reads only a
    // plain file (OpenTofu 1.12): it is opened first, and the plain copy lives only as long
    // as the push. `state push` takes no -input.
    const plain = await unsealedCopy(ctx, file, scratch);
    await runTofuVerb(ctx, 'state', ['push', '-json', LOCK_TIMEOUT_ARG, plain]);
  } catch (err) {
    if (err instanceof DomainError && /lineage|serial|cannot import|newer/i.test(whatTofuSaid(err))) {
      throw new DomainError(
        'UNSAVED_STATE_KEPT',
        `the state tofu could not save (${ERRORED_STATE_FILE}) was refused by the backend and is kept in the workspace: ${err.message}`,
        [],
        { ...err.context, workspace: ctx.workspace },
      );
    }
    throw err;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  await rename(file, `${file}.pushed-${Date.now()}`);
  return { pushed: true };
}

/**
 * A plain copy of an errored.tfstate, made by tofu itself (whatever key provider encrypted it,
 * Cloud KMS included): in a scratch folder holding only the workspace's encryption block and
 * the file as the local backend's state, `tofu state pull` prints the state decrypted. A plain
 * file (written by an older tofu, or by hand) comes out as it went in.
 */
async function unsealedCopy(ctx: TofuContext, file: string, scratch: string): Promise<string> {
  await mkdir(scratch, { recursive: true, mode: 0o700 });
  const encryption = join(ctx.workspace, ENCRYPTION_OVERRIDE_FILE);
  if (existsSync(encryption)) await copyFile(encryption, join(scratch, ENCRYPTION_OVERRIDE_FILE));
  await copyFile(file, join(scratch, 'terraform.tfstate'));
  const pulled = await runTofuVerb({ ...ctx, workspace: scratch, onMessage: undefined }, 'state', [
    'pull',
    '-no-color',
  ]);
  const plain = join(scratch, 'unsealed.tfstate');
  await writeFile(plain, pulled.stdout, { mode: 0o600 });
  return plain;
}

/** A classified failure's message with the details of tofu's diagnostics. */
function whatTofuSaid(err: DomainError): string {
  const diagnostics = (err.context.diagnostics ?? []) as Array<{ summary?: string; detail?: string }>;
  return [err.message, ...diagnostics.map((d) => `${d.summary ?? ''} ${d.detail ?? ''}`)].join('\n');
}

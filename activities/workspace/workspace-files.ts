import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** Where a job's workspace lives and what it is made from. */
export interface WorkspaceSource {
  workspaceRoot: string;
  /** terraform/ of the repository: stacks/<stack> and modules/ are copied from here. */
  terraformDir: string;
  stack: string;
}

export function workspaceDir(root: string, jobId: string): string {
  return join(root, jobId);
}

/**
 * Makes (or remakes) a job's isolated workspace: the stack template, the modules it uses,
 * and its tfvars. Idempotent: a second call rewrites the same files and keeps .terraform and
 * the saved plan, so a retried or moved activity finds the workspace it expects.
 */
export async function materializeWorkspace(
  src: WorkspaceSource,
  jobId: string,
  tfvars: Record<string, unknown>,
): Promise<string> {
  const dir = workspaceDir(src.workspaceRoot, jobId);
  await mkdir(dir, { recursive: true });
  await cp(join(src.terraformDir, 'stacks', src.stack), dir, { recursive: true, force: true });
  await cp(join(src.terraformDir, 'modules'), join(dir, 'modules'), { recursive: true, force: true });
  await writeFile(join(dir, 'terraform.tfvars.json'), `${JSON.stringify(tfvars, null, 2)}\n`);
  return dir;
}

/** Deletes a job's workspace; nothing to do when it is already gone. */
export async function removeWorkspace(root: string, jobId: string): Promise<void> {
  await rm(workspaceDir(root, jobId), { recursive: true, force: true });
}

/**
 * A digest of what workspaces are made from (the stack and every module). A workspace whose
 * `tofu init` saw other sources (the engine was upgraded: a module added, say) is initialised
 * again before tofu runs there, instead of failing on a module that is not installed.
 */
/**
 * What the provider packages of a filesystem mirror are now: each file's path, size and
 * modification time (a hash of the list). A package rebuilt under the same version changes it,
 * and no longer matches the checksums a workspace's lock file recorded at its init.
 */
export async function mirrorFingerprint(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
  for (const file of files) {
    const s = await stat(file);
    hash.update(`${relative(dir, file)}\0${s.size}\0${s.mtimeMs}\0`);
  }
  return hash.digest('hex');
}

export async function sourceFingerprint(src: WorkspaceSource): Promise<string> {
  const hash = createHash('sha256');
  for (const dir of [join('stacks', src.stack), 'modules']) {
    const root = join(src.terraformDir, dir);
    const files = (await readdir(root, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name))
      .sort();
    for (const file of files)
      hash
        .update(relative(src.terraformDir, file))
        .update('\0')
        .update(await readFile(file));
  }
  return hash.digest('hex');
}

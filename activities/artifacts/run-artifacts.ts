import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProvisionRequest } from '../../src/domain/provision-request';

/** Days a job's artifacts are kept when its request does not say (monitoring_config.retention_days). */
export const DEFAULT_ARTIFACT_RETENTION_DAYS = 30;

/** The end of a job's artifact retention, counted from now. */
export function retainUntil(request: ProvisionRequest, now: number): Date {
  const days = request.monitoring_config?.retention_days ?? DEFAULT_ARTIFACT_RETENTION_DAYS;
  return new Date(now + days * 24 * 3600 * 1000);
}

/** The newest stdout (JSON lines) and stderr logs of a verb in a workspace (see tofu-process.ts). */
export async function latestVerbLogs(workspace: string, verb: string): Promise<{ stdout?: Buffer; stderr?: Buffer }> {
  const names = (await readdir(workspace)).filter((n) => n.startsWith(`.tofu-${verb}-`)).sort();
  const newest = (suffix: string) => names.filter((n) => n.endsWith(suffix)).pop();
  const read = async (name: string | undefined) => (name ? readFile(join(workspace, name)) : undefined);
  return { stdout: await read(newest('.stdout.jsonl')), stderr: await read(newest('.stderr.log')) };
}

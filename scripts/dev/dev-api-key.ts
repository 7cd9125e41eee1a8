import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** The dev stack's API key: PROVISIONING_API_KEYS when set, else one generated once and kept in `file`. */
export function devApiKeys(file: string, env: NodeJS.ProcessEnv = process.env): { keys: string; shown: string } {
  const fromEnv = env.PROVISIONING_API_KEYS?.trim();
  if (fromEnv) return { keys: fromEnv, shown: fromEnv.split(',')[0].trim() };
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  const key = readFileSync(file, 'utf8').trim();
  return { keys: key, shown: key };
}

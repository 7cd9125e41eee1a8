import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * A dev-stack secret: the environment's value when set, else one generated once (by `generate`)
 * and kept in `file`, so restarts reuse it.
 */
export function devSecret(file: string, fromEnv: string | undefined, generate: () => string): string {
  if (fromEnv?.trim()) return fromEnv.trim();
  if (!existsSync(file)) writeFileSync(file, `${generate()}\n`, { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/** The dev stack's API keys (PROVISIONING_API_KEYS or a generated one) and the one to show. */
export function devApiKeys(file: string, env: NodeJS.ProcessEnv = process.env): { keys: string; shown: string } {
  const keys = devSecret(file, env.PROVISIONING_API_KEYS, () => randomBytes(24).toString('base64url'));
  return { keys, shown: keys.split(',')[0].trim() };
}

/** The dev stack's master encryption key (ENCRYPTION_KEY or a generated one). */
export function devEncryptionKey(file: string, env: NodeJS.ProcessEnv = process.env): string {
  return devSecret(file, env.ENCRYPTION_KEY, () => randomBytes(32).toString('base64'));
}

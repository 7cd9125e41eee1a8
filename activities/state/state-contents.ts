import { createDecipheriv, pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
import { externalKeyProviderName, keyProviderName, stateAesKey } from './state-encryption';

/** What the engine reads of a state snapshot. */
interface StateSnapshot {
  resources?: unknown[];
}

/** OpenTofu's envelope around an encrypted state (internal/encryption/base.go). */
interface EncryptedState {
  meta?: Record<string, string>;
  encrypted_data: string;
  encryption_version: string;
}

/** The most pbkdf2 rounds the engine derives a key with (it wrote states with 200,000; ADR 22). */
const MAX_PBKDF2_ITERATIONS = 1_000_000;

/** pbkdf2 key provider metadata (internal/encryption/keyprovider/pbkdf2/metadata.go). */
interface Pbkdf2Meta {
  salt: string;
  iterations: number;
  hash_function: string;
  key_length: number;
}

// pbkdf2 runs in libuv's thread pool: a sweep opening many tenants' states must not stall the
// worker's event loop (heartbeats of running tofu steps), as pbkdf2Sync would.
const derive = promisify(pbkdf2);

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * How many resources a stored state snapshot tracks, opening it when tofu encrypted it with
 * one of the engine's keys (external key or pbkdf2, + aes_gcm; ADR 22, ADR 30). A state encrypted with a key the
 * engine does not hold (Cloud KMS, or a key no longer configured) throws rather than counting
 * as empty: a count of 0 lets the state be removed.
 */
export async function trackedResources(raw: string, passphrases: readonly string[]): Promise<number> {
  return ((await openState(raw, passphrases)).resources ?? []).length;
}

/** A state encrypted with a key the engine does not hold here (Cloud KMS, or a retired key dropped). */
export class StateKeyUnavailableError extends Error {}

/**
 * As trackedResources, but `null` for a state the engine cannot open here (Cloud KMS in
 * production: only tofu, with the worker's Google identity, decrypts it). The sweep reports such
 * a state and never removes it on its own.
 */
export async function trackedResourcesIfReadable(raw: string, passphrases: readonly string[]): Promise<number | null> {
  try {
    return await trackedResources(raw, passphrases);
  } catch (e) {
    if (e instanceof StateKeyUnavailableError) return null;
    throw e;
  }
}

export async function openState(raw: string, passphrases: readonly string[]): Promise<StateSnapshot> {
  const doc = JSON.parse(raw) as StateSnapshot | EncryptedState;
  if (!('encryption_version' in doc)) return doc;
  const data = Buffer.from(doc.encrypted_data, 'base64');
  for (const passphrase of passphrases) {
    // The external key provider's key (ADR 30) needs no metadata; pbkdf2's (ADR 22) its salt.
    const key = doc.meta?.[`key_provider.external.${externalKeyProviderName(passphrase)}`]
      ? stateAesKey(passphrase)
      : await pbkdf2Key(passphrase, doc.meta?.[`key_provider.pbkdf2.${keyProviderName(passphrase)}`]);
    if (!key) continue;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, NONCE_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(data.subarray(NONCE_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return JSON.parse(plain.toString('utf8')) as StateSnapshot;
    } catch {
      // Not this key (the name matched but the key did not authenticate): try the next.
    }
  }
  throw new StateKeyUnavailableError(
    `the state is encrypted with a key the engine cannot open here (a Cloud KMS key, or a key no longer configured): ${Object.keys(doc.meta ?? {}).join(', ')}`,
  );
}

/** The key pbkdf2 derived for a state written before ADR 30, from its metadata; null without it. */
async function pbkdf2Key(passphrase: string, metaText: string | undefined): Promise<Buffer | null> {
  if (!metaText) return null;
  const meta = JSON.parse(Buffer.from(metaText, 'base64').toString('utf8')) as Pbkdf2Meta;
  // The rounds come from the stored state: a tampered one must not make the sweep spin for hours.
  if (!(meta.iterations > 0 && meta.iterations <= MAX_PBKDF2_ITERATIONS))
    throw new StateKeyUnavailableError(`the state's pbkdf2 metadata asks for ${meta.iterations} rounds`);
  return derive(passphrase, Buffer.from(meta.salt, 'base64'), meta.iterations, meta.key_length, meta.hash_function);
}

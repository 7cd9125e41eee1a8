import { createCipheriv, pbkdf2Sync, randomBytes } from 'node:crypto';
import { externalKeyProviderName, keyProviderName, stateAesKey } from '../../activities/state/state-encryption';

/**
 * State envelopes as OpenTofu writes them (internal/encryption: base64 metadata per key provider,
 * nonce + ciphertext + tag), for tests that need state written by an older engine or a given key.
 * No I/O: unit specs use them too.
 */

function envelope(state: object, key: Buffer, metaKey: string, meta: object): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const body = Buffer.concat([cipher.update(JSON.stringify(state)), cipher.final(), cipher.getAuthTag()]);
  return JSON.stringify({
    meta: { [metaKey]: Buffer.from(JSON.stringify(meta)).toString('base64') },
    encrypted_data: Buffer.concat([nonce, body]).toString('base64'),
    encryption_version: 'v0',
  });
}

/** State as the pbkdf2 key provider + aes_gcm wrote it (ADR 22, before ADR 30). */
export function stateSealedWithPbkdf2(state: object, passphrase: string): string {
  const salt = randomBytes(32);
  const key = pbkdf2Sync(passphrase, salt, 200_000, 32, 'sha512');
  const meta = { salt: salt.toString('base64'), iterations: 200_000, hash_function: 'sha512', key_length: 32 };
  return envelope(state, key, `key_provider.pbkdf2.${keyProviderName(passphrase)}`, meta);
}

/** State as the engine's external key provider + aes_gcm write it (ADR 30). */
export function stateSealedWithExternalKey(state: object, passphrase: string): string {
  return envelope(state, stateAesKey(passphrase), `key_provider.external.${externalKeyProviderName(passphrase)}`, {
    external_data: {},
  });
}

import { createCipheriv, pbkdf2Sync, randomBytes } from 'node:crypto';
import { trackedResources } from './state-contents';
import { encryptionEnv, encryptionOverride, keyProviderName, statePassphrases } from './state-encryption';

const current = Buffer.alloc(32, 1);
const retired = Buffer.alloc(32, 2);

/** An envelope as OpenTofu's pbkdf2 + aes_gcm write it (internal/encryption). */
function encryptedAsTofu(state: object, passphrase: string): string {
  const salt = randomBytes(32);
  const key = pbkdf2Sync(passphrase, salt, 200_000, 32, 'sha512');
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const body = Buffer.concat([cipher.update(JSON.stringify(state)), cipher.final(), cipher.getAuthTag()]);
  const meta = { salt: salt.toString('base64'), iterations: 200_000, hash_function: 'sha512', key_length: 32 };
  return JSON.stringify({
    meta: {
      [`key_provider.pbkdf2.${keyProviderName(passphrase)}`]: Buffer.from(JSON.stringify(meta)).toString('base64'),
    },
    encrypted_data: Buffer.concat([nonce, body]).toString('base64'),
    encryption_version: 'v0',
  });
}

describe('state encryption', () => {
  it('derives one passphrase per master key, current first, none equal to the key', () => {
    const [a, b] = statePassphrases([current, retired]);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).not.toBe(a);
    expect(statePassphrases([current])[0]).toBe(a);
    expect(a).not.toContain(current.toString('hex'));
  });

  it('writes no passphrase into the workspace file, only into TF_ENCRYPTION', () => {
    const passphrases = statePassphrases([current, retired]);
    const file = encryptionOverride({ passphrases });
    for (const p of passphrases) {
      expect(file).not.toContain(p);
      expect(encryptionEnv({ passphrases }).TF_ENCRYPTION).toContain(`passphrase = "${p}"`);
    }
  });

  it('encrypts with the current key and falls back to each retired key, then to unencrypted state', () => {
    const [cur, old] = statePassphrases([current, retired]);
    const file = encryptionOverride({ passphrases: [cur, old] });
    const order = [
      `method = method.aes_gcm.${keyProviderName(cur)}`,
      `method = method.aes_gcm.${keyProviderName(old)}`,
      'method = method.unencrypted.migrate',
    ];
    const state = file.slice(file.indexOf('    state {'), file.indexOf('    plan {'));
    const positions = order.map((line) => state.indexOf(line));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((x, y) => x - y)).toEqual(positions);
    expect(file).toContain('    plan {');
  });

  it('encrypts with the Cloud KMS key when one is set, the passphrases only opening older state', () => {
    const [cur] = statePassphrases([current]);
    const kms = 'projects/p/locations/europe-west1/keyRings/engine/cryptoKeys/tofu-state';
    const file = encryptionOverride({ passphrases: [cur], kmsKeyName: kms });
    expect(file).toContain(`kms_encryption_key = "${kms}"`);
    const state = file.slice(file.indexOf('    state {'));
    expect(state.indexOf('method.aes_gcm.kms')).toBeLessThan(state.indexOf(`method.aes_gcm.${keyProviderName(cur)}`));
  });

  it('names a key the same before and after it is retired (tofu finds its metadata by that name)', () => {
    const [asCurrent] = statePassphrases([retired]);
    const [, asRetired] = statePassphrases([current, retired]);
    expect(keyProviderName(asRetired)).toBe(keyProviderName(asCurrent));
  });

  it('counts the resources of plain and encrypted state, with the current or a retired key', async () => {
    const [cur, old] = statePassphrases([current, retired]);
    const state = { version: 4, resources: [{}, {}, {}] };
    expect(await trackedResources(JSON.stringify(state), [cur])).toBe(3);
    expect(await trackedResources(encryptedAsTofu(state, cur), [cur, old])).toBe(3);
    expect(await trackedResources(encryptedAsTofu(state, old), [cur, old])).toBe(3);
  });

  it('refuses to count state it cannot open rather than calling it empty', async () => {
    const [cur, old] = statePassphrases([current, retired]);
    await expect(trackedResources(encryptedAsTofu({ resources: [{}] }, old), [cur])).rejects.toThrow(/cannot open/);
  });
});

import { stateSealedWithExternalKey, stateSealedWithPbkdf2 } from '../../test/support/tofu-state-envelopes';
import { trackedResources } from './state-contents';
import {
  encryptionEnv,
  encryptionOverride,
  externalKeyProviderName,
  keyProviderName,
  stateAesKey,
  stateKeyEnvName,
  statePassphrases,
} from './state-encryption';

const current = Buffer.alloc(32, 1);
const retired = Buffer.alloc(32, 2);

describe('state encryption', () => {
  it('derives one passphrase per master key, current first, none equal to the key', () => {
    const [a, b] = statePassphrases([current, retired]);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).not.toBe(a);
    expect(statePassphrases([current])[0]).toBe(a);
    expect(a).not.toContain(current.toString('hex'));
  });

  it('writes no key or passphrase into the workspace file, only into the environment', () => {
    const passphrases = statePassphrases([current, retired]);
    const file = encryptionOverride({ passphrases });
    const env = encryptionEnv({ passphrases });
    for (const p of passphrases) {
      const key = stateAesKey(p).toString('base64');
      expect(file).not.toContain(p);
      expect(file).not.toContain(key);
      expect(file).toContain(`"sh","${stateKeyEnvName(p)}"]`);
      expect(env[stateKeyEnvName(p)]).toBe(key);
      expect(env.TF_ENCRYPTION).toContain(`passphrase = "${p}"`);
    }
  });

  it('derives a distinct 256-bit AES key per passphrase, none equal to the passphrase', () => {
    const [cur, old] = statePassphrases([current, retired]);
    expect(stateAesKey(cur)).toHaveLength(32);
    expect(stateAesKey(cur).equals(stateAesKey(old))).toBe(false);
    expect(stateAesKey(cur).toString('hex')).not.toBe(cur);
  });

  it('gives the external key command no ${ or %{ (HCL would read them as templates)', () => {
    const file = encryptionOverride({ passphrases: statePassphrases([current]) });
    expect(file).not.toMatch(/[$%]\{/);
  });

  it('encrypts with the current key through the external provider, then opens with each retired key, then pbkdf2 (before ADR 30), then unencrypted state', () => {
    const [cur, old] = statePassphrases([current, retired]);
    const file = encryptionOverride({ passphrases: [cur, old] });
    const order = [
      `method = method.aes_gcm.${externalKeyProviderName(cur)}`,
      `method = method.aes_gcm.${externalKeyProviderName(old)}`,
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
    expect(state.indexOf('method.aes_gcm.kms')).toBeLessThan(
      state.indexOf(`method.aes_gcm.${externalKeyProviderName(cur)}`),
    );
  });

  it('names a key the same before and after it is retired (tofu finds its metadata by that name)', () => {
    const [asCurrent] = statePassphrases([retired]);
    const [, asRetired] = statePassphrases([current, retired]);
    expect(keyProviderName(asRetired)).toBe(keyProviderName(asCurrent));
    expect(externalKeyProviderName(asRetired)).toBe(externalKeyProviderName(asCurrent));
  });

  it('counts the resources of plain and encrypted state, with the current or a retired key', async () => {
    const [cur, old] = statePassphrases([current, retired]);
    const state = { version: 4, resources: [{}, {}, {}] };
    expect(await trackedResources(JSON.stringify(state), [cur])).toBe(3);
    expect(await trackedResources(stateSealedWithPbkdf2(state, cur), [cur, old])).toBe(3);
    expect(await trackedResources(stateSealedWithPbkdf2(state, old), [cur, old])).toBe(3);
    expect(await trackedResources(stateSealedWithExternalKey(state, cur), [cur, old])).toBe(3);
    expect(await trackedResources(stateSealedWithExternalKey(state, old), [cur, old])).toBe(3);
  });

  it('refuses a state whose pbkdf2 metadata asks for more rounds than the engine ever wrote, without deriving', async () => {
    const [cur] = statePassphrases([current]);
    const sealed = JSON.parse(stateSealedWithPbkdf2({ resources: [{}] }, cur)) as { meta: Record<string, string> };
    const [name] = Object.keys(sealed.meta);
    const meta = JSON.parse(Buffer.from(sealed.meta[name], 'base64').toString('utf8')) as object;
    sealed.meta[name] = Buffer.from(JSON.stringify({ ...meta, iterations: 2_000_000_000 })).toString('base64');
    await expect(trackedResources(JSON.stringify(sealed), [cur])).rejects.toThrow(/2000000000 rounds/);
  });

  it('refuses to count state it cannot open rather than calling it empty', async () => {
    const [cur, old] = statePassphrases([current, retired]);
    await expect(trackedResources(stateSealedWithPbkdf2({ resources: [{}] }, old), [cur])).rejects.toThrow(
      /cannot open/,
    );
    await expect(trackedResources(stateSealedWithExternalKey({ resources: [{}] }, old), [cur])).rejects.toThrow(
      /cannot open/,
    );
  });
});

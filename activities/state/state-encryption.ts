import { createHash, hkdfSync } from 'node:crypto';

/**
 * How tofu encrypts state and plans (OpenTofu's `encryption` block; ADR 22).
 * - `passphrases`: one per master key, current first, then the retired ones (ENCRYPTION_KEY,
 *   ENCRYPTION_KEYS_RETIRED), each derived for this purpose only. Locally the current one
 *   encrypts (pbkdf2 key provider, aes_gcm); every one still opens what it encrypted.
 * - `kmsKeyName`: in production a Cloud KMS key encrypts instead (gcp_kms key provider; KMS
 *   keeps its own key versions), and the passphrases only open state written before.
 */
export interface StateEncryption {
  passphrases: string[];
  kmsKeyName?: string;
}

/** The file the engine writes into every workspace, beside backend_override.tf. */
export const ENCRYPTION_OVERRIDE_FILE = 'encryption_override.tf';

/** The variable tofu reads the secret part of the configuration from (merged with the file). */
export const ENCRYPTION_ENV = 'TF_ENCRYPTION';

/**
 * pbkdf2's floor. The passphrase is already a 256-bit key (HKDF of a random master key), so
 * stretching it more buys nothing and would cost every tofu command time per key.
 */
const PBKDF2_ITERATIONS = 200_000;

/** The passphrase for tofu state derived from each master key (current first). */
export function statePassphrases(masterKeys: readonly Buffer[]): string[] {
  if (masterKeys.length === 0 || masterKeys.some((k) => k.length !== 32))
    throw new Error('master keys must be 32 bytes');
  return masterKeys.map((m) =>
    Buffer.from(hkdfSync('sha256', m, Buffer.alloc(0), 'poc-engine/tofu-state', 32)).toString('hex'),
  );
}

/**
 * A key provider's name: stable for a key across rotations (tofu finds a key's metadata in a
 * state by that name, so a retired key must keep the name it encrypted under) and revealing
 * nothing of the key.
 */
export function keyProviderName(passphrase: string): string {
  return `k${createHash('sha256').update(`poc-engine/tofu-state-key-id/${passphrase}`).digest('hex').slice(0, 12)}`;
}

/**
 * The `encryption` block written into each workspace: no secret in it (the passphrases reach
 * tofu through TF_ENCRYPTION, see encryptionEnv). The current key encrypts state and plans;
 * each retired key, then no encryption at all, are fallbacks that only open: state written
 * before encryption was on (and the empty state the engine makes for a new tenant) is read
 * once and written back encrypted.
 */
export function encryptionOverride(enc: StateEncryption): string {
  const lines: string[] = [
    '# Written by the engine (ADR 22): passphrases come from TF_ENCRYPTION.',
    'terraform {',
    '  encryption {',
  ];
  const methods: string[] = [];
  if (enc.kmsKeyName) {
    lines.push(
      '    key_provider "gcp_kms" "kms" {',
      `      kms_encryption_key = ${JSON.stringify(enc.kmsKeyName)}`,
      '      key_length         = 32',
      '    }',
      '    method "aes_gcm" "kms" {',
      '      keys = key_provider.gcp_kms.kms',
      '    }',
    );
    methods.push('method.aes_gcm.kms');
  }
  for (const passphrase of enc.passphrases) {
    const name = keyProviderName(passphrase);
    lines.push(
      `    key_provider "pbkdf2" "${name}" {`,
      `      iterations = ${PBKDF2_ITERATIONS}`,
      '    }',
      `    method "aes_gcm" "${name}" {`,
      `      keys = key_provider.pbkdf2.${name}`,
      '    }',
    );
    methods.push(`method.aes_gcm.${name}`);
  }
  lines.push('    method "unencrypted" "migrate" {}');
  methods.push('method.unencrypted.migrate');
  for (const target of ['state', 'plan']) lines.push(...targetBlock(target, methods, 4));
  lines.push('  }', '}');
  return `${lines.join('\n')}\n`;
}

/** `state { method = first; fallback { method = second; fallback { … } } }`. */
function targetBlock(name: string, methods: string[], indent: number): string[] {
  const pad = ' '.repeat(indent);
  const [first, ...rest] = methods;
  return [
    `${pad}${name} {`,
    `${pad}  method = ${first}`,
    ...(rest.length > 0 ? targetBlock('fallback', rest, indent + 2) : []),
    `${pad}}`,
  ];
}

/** TF_ENCRYPTION: the passphrases, merged by tofu into the workspace's encryption block. */
export function encryptionEnv(enc: StateEncryption): Record<string, string> {
  const blocks = enc.passphrases.map(
    (p) => `key_provider "pbkdf2" "${keyProviderName(p)}" {\n  passphrase = ${JSON.stringify(p)}\n}`,
  );
  return { [ENCRYPTION_ENV]: `${blocks.join('\n')}\n` };
}

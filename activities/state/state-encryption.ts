import { createHash, hkdfSync } from 'node:crypto';

/**
 * How tofu encrypts state and plans (OpenTofu's `encryption` block; ADR 22, ADR 30).
 * - `passphrases`: one per master key, current first, then the retired ones (ENCRYPTION_KEY,
 *   ENCRYPTION_KEYS_RETIRED), each derived for this purpose only. Locally the current one
 *   encrypts: its AES key reaches tofu through an `external` key provider that prints it from
 *   the environment (ADR 30; no key stretching per command). The pbkdf2 key providers of ADR 22
 *   stay as fallbacks that only open state written before.
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

/** The prefix of the variables that carry each key's AES key to the external key provider. */
export const STATE_KEY_ENV_PREFIX = 'POC_TOFU_STATE_KEY_';

/**
 * The external key provider's command (OpenTofu's protocol: a header line, then the keys as
 * JSON): a POSIX shell prints the base64 AES key held in the variable its first argument names.
 * The key is the same for encryption and decryption and needs no metadata, so the input tofu
 * sends on stdin is not read; `printf` is a builtin of the image's shell (dash), so the key
 * never appears in a command line. About 3 ms per call, where pbkdf2's 200,000 rounds cost ~0.1 s of
 * CPU per call, several calls per tofu command (ADR 30). The script holds no `${` or `%{`, so it
 * is the same string in HCL as in JSON.
 */
const EXTERNAL_KEY_SCRIPT = [
  // Only the engine's variable names reach the eval (defence in depth: argv is the engine's own).
  `case "$1" in ${STATE_KEY_ENV_PREFIX}E[0-9A-F]*) ;; *) echo "not a state key variable" >&2; exit 1 ;; esac`,
  'eval "k=\\$$1"',
  '[ -n "$k" ] || { echo "no state key in $1" >&2; exit 1; }',
  `printf '%s\\n%s\\n' '{"magic":"OpenTofu-External-Key-Provider","version":1}' "{\\"keys\\":{\\"encryption_key\\":\\"$k\\",\\"decryption_key\\":\\"$k\\"},\\"meta\\":{\\"external_data\\":{}}}"`,
].join('; ');

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

/** The external key provider's name for a key (ADR 30): stable across rotations, revealing nothing. */
export function externalKeyProviderName(passphrase: string): string {
  return `e${createHash('sha256').update(`poc-engine/tofu-state-external-key-id/${passphrase}`).digest('hex').slice(0, 12)}`;
}

/**
 * The 256-bit AES key tofu encrypts state and plans with for a passphrase (ADR 30): HKDF of the
 * passphrase, itself already a 256-bit key (HKDF of a random master key), so no stretching.
 */
export function stateAesKey(passphrase: string): Buffer {
  return Buffer.from(
    hkdfSync('sha256', Buffer.from(passphrase, 'utf8'), Buffer.alloc(0), 'poc-engine/tofu-state-aes-key', 32),
  );
}

/** The variable holding a key's AES key (base64) for the external key provider. */
export function stateKeyEnvName(passphrase: string): string {
  return `${STATE_KEY_ENV_PREFIX}${externalKeyProviderName(passphrase).toUpperCase()}`;
}

/**
 * The `encryption` block written into each workspace: no secret in it (keys and passphrases
 * reach tofu through its environment, see encryptionEnv). The current key encrypts state and plans;
 * each retired key, then no encryption at all, are fallbacks that only open: state written
 * before encryption was on (and the empty state the engine makes for a new tenant) is read
 * once and written back encrypted.
 */
export function encryptionOverride(enc: StateEncryption): string {
  const lines: string[] = [
    '# Written by the engine (ADR 22, ADR 30): keys and passphrases come from its environment.',
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
  // Each key through the external provider first (current, then retired: cheap to try), then
  // through pbkdf2 (ADR 22), which only opens state written before ADR 30: tofu sets a fallback's
  // key provider up only when the methods before it could not open the state.
  for (const passphrase of enc.passphrases) {
    const name = externalKeyProviderName(passphrase);
    lines.push(
      `    key_provider "external" "${name}" {`,
      `      command = ${JSON.stringify(['/bin/sh', '-c', EXTERNAL_KEY_SCRIPT, 'sh', stateKeyEnvName(passphrase)])}`,
      '    }',
      `    method "aes_gcm" "${name}" {`,
      `      keys = key_provider.external.${name}`,
      '    }',
    );
    methods.push(`method.aes_gcm.${name}`);
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

/**
 * The secret part, in tofu's environment only: TF_ENCRYPTION (the pbkdf2 passphrases, merged by
 * tofu into the workspace's encryption block) and each key's AES key for the external provider.
 */
export function encryptionEnv(enc: StateEncryption): Record<string, string> {
  const blocks = enc.passphrases.map(
    (p) => `key_provider "pbkdf2" "${keyProviderName(p)}" {\n  passphrase = ${JSON.stringify(p)}\n}`,
  );
  const keys = Object.fromEntries(enc.passphrases.map((p) => [stateKeyEnvName(p), stateAesKey(p).toString('base64')]));
  return { [ENCRYPTION_ENV]: `${blocks.join('\n')}\n`, ...keys };
}

import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with a version byte, a random 96-bit IV and the auth tag packed before the
 * ciphertext. `aad` binds a ciphertext to its context (e.g. the job id), so a value copied to
 * another row does not decrypt. A box holds the current key and, during a key rotation, the
 * retired ones: it seals with the current key and opens with whichever key sealed.
 */
export class SecretBox {
  private constructor(private readonly keys: readonly Buffer[]) {}

  /**
   * A box for one purpose, derived (HKDF-SHA256) from the master key (or from the current
   * master key and the retired ones, current first), so purposes never share a key.
   */
  static derive(masterKeys: Buffer | readonly Buffer[], purpose: string): SecretBox {
    const masters = Buffer.isBuffer(masterKeys) ? [masterKeys] : masterKeys;
    if (masters.length === 0 || masters.some((k) => k.length !== 32)) throw new Error('master keys must be 32 bytes');
    return new SecretBox(
      masters.map((m) => Buffer.from(hkdfSync('sha256', m, Buffer.alloc(0), `poc-engine/${purpose}`, 32))),
    );
  }

  seal(plaintext: Buffer, aad = ''): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0], iv);
    cipher.setAAD(Buffer.from(aad));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  /** Throws when no key of the box sealed it in this context, or it was tampered with. */
  open(sealed: Buffer, aad = ''): Buffer {
    if (sealed[0] !== VERSION) throw new Error(`unknown sealed-box version ${sealed[0]}`);
    let failure: unknown;
    for (const key of this.keys) {
      try {
        return openWith(key, sealed, aad);
      } catch (err) {
        failure = err; // GCM authentication failed: another key sealed it, try the next
      }
    }
    throw failure;
  }
}

function openWith(key: Buffer, sealed: Buffer, aad: string): Buffer {
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
}

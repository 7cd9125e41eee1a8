import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with a version byte, a random 96-bit IV and the auth tag packed before the
 * ciphertext. `aad` binds a ciphertext to its context (e.g. the job id), so a value copied to
 * another row does not decrypt.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /** A box for one purpose, derived (HKDF-SHA256) from the master key, so purposes never share a key. */
  static derive(masterKey: Buffer, purpose: string): SecretBox {
    if (masterKey.length !== 32) throw new Error('the master key must be 32 bytes');
    return new SecretBox(Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), `poc-engine/${purpose}`, 32)));
  }

  seal(plaintext: Buffer, aad = ''): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(aad));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  /** Throws when the box was sealed with another key or context, or was tampered with. */
  open(sealed: Buffer, aad = ''): Buffer {
    if (sealed[0] !== VERSION) throw new Error(`unknown sealed-box version ${sealed[0]}`);
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
  }
}

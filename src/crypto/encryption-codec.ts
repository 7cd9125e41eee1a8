import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { SecretBox } from './secret-box';

const ENCODING = 'binary/encrypted';

/**
 * Encrypts every Temporal payload (workflow inputs, results, activity arguments) with
 * AES-256-GCM before it leaves the process, so the Temporal server and anyone who can read
 * its history see ciphertext. Payloads that are not encrypted (histories from before the
 * codec) pass through unchanged.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly box: SecretBox;

  /** `masterKeys`: the current key, then any retired ones still needed to read older payloads. */
  constructor(masterKeys: Buffer | readonly Buffer[]) {
    this.box = SecretBox.derive(masterKeys, 'temporal-payloads');
  }

  encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve().then(() =>
      payloads.map((p) => ({
        metadata: { encoding: new TextEncoder().encode(ENCODING) },
        data: this.box.seal(Buffer.from(temporal.api.common.v1.Payload.encode(p).finish())),
      })),
    );
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    // A payload sealed with another key rejects (it is never passed on as garbage).
    return Promise.resolve().then(() =>
      payloads.map((p) => {
        const encoding = p.metadata?.encoding ? new TextDecoder().decode(p.metadata.encoding) : '';
        if (encoding !== ENCODING || !p.data) return p;
        return temporal.api.common.v1.Payload.decode(this.box.open(Buffer.from(p.data)));
      }),
    );
  }
}

import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec } from '../crypto/encryption-codec';

/** Where the failure converter lives, for Temporal to load it (also inside the workflow sandbox). */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/**
 * The data converter of every Temporal client and worker of the engine: payloads sealed with
 * the encryption key (`keys`: the current key, then retired ones, as EncryptionCodec takes
 * them), failure messages and stack traces encoded into payloads so they are sealed too.
 */
export function engineDataConverter(keys: ConstructorParameters<typeof EncryptionCodec>[0]): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(keys)], failureConverterPath: FAILURE_CONVERTER_PATH };
}

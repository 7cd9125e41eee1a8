import { defaultPayloadConverter } from '@temporalio/common';
import { randomBytes } from 'node:crypto';
import { EncryptionCodec } from './encryption-codec';

describe('EncryptionCodec', () => {
  const codec = new EncryptionCodec(randomBytes(32));
  const payload = defaultPayloadConverter.toPayload({ contact_email: 'ceo@acme.test', tier: 'enterprise' });

  it('round-trips payloads and leaves no plaintext in the encoded form', async () => {
    const [encoded] = await codec.encode([payload]);
    expect(Buffer.from(encoded.data!).toString('latin1')).not.toContain('ceo@acme.test');
    const [decoded] = await codec.decode([encoded]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual({
      contact_email: 'ceo@acme.test',
      tier: 'enterprise',
    });
  });

  it('passes unencrypted payloads through, so older histories still decode', async () => {
    const [decoded] = await codec.decode([payload]);
    expect(decoded).toBe(payload);
  });

  it('cannot be decoded with another key', async () => {
    const [encoded] = await codec.encode([payload]);
    await expect(new EncryptionCodec(randomBytes(32)).decode([encoded])).rejects.toThrow();
  });

  it('decodes payloads of a retired key and encodes with the current one after a rotation', async () => {
    const retired = randomBytes(32);
    const current = randomBytes(32);
    const [old] = await new EncryptionCodec(retired).encode([payload]);
    const rotated = new EncryptionCodec([current, retired]);
    const value = { contact_email: 'ceo@acme.test', tier: 'enterprise' };
    const [opened] = await rotated.decode([old]);
    expect(defaultPayloadConverter.fromPayload(opened)).toEqual(value);
    const [fresh] = await rotated.encode([payload]);
    const [reopened] = await new EncryptionCodec(current).decode([fresh]);
    expect(defaultPayloadConverter.fromPayload(reopened)).toEqual(value);
    await expect(new EncryptionCodec(retired).decode([fresh])).rejects.toThrow();
  });
});

import { trackedResources, trackedResourcesIfReadable } from './state-contents';

// A state as OpenTofu writes it with a Cloud KMS key provider: the envelope only (the engine holds
// no KMS key here, so its contents cannot matter).
const kmsEncrypted = JSON.stringify({
  meta: { 'key_provider.gcp_kms.kms': Buffer.from('{"ciphertext":"x"}').toString('base64') },
  encrypted_data: Buffer.alloc(48, 7).toString('base64'),
  encryption_version: 'v0',
});

describe('counting the resources a stored state tracks', () => {
  it('counts the resources of a plain state', async () => {
    expect(await trackedResourcesIfReadable(JSON.stringify({ resources: [{}, {}] }), [])).toBe(2);
  });

  it('answers null, not 0, for a state encrypted with a key the engine does not hold (Cloud KMS)', async () => {
    expect(await trackedResourcesIfReadable(kmsEncrypted, ['a passphrase the state was not made with'])).toBeNull();
    await expect(trackedResources(kmsEncrypted, [])).rejects.toThrow(/cannot open here/);
  });

  it('still fails on a state that is not JSON at all', async () => {
    await expect(trackedResourcesIfReadable('not json', [])).rejects.toThrow(SyntaxError);
  });
});

import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

const master = randomBytes(32);

describe('SecretBox', () => {
  it('opens what it sealed, and seals the same text differently each time', () => {
    const box = SecretBox.derive(master, 'credentials');
    const a = box.seal(Buffer.from('s3cret'), 'job-1');
    expect(box.open(a, 'job-1').toString()).toBe('s3cret');
    expect(box.seal(Buffer.from('s3cret'), 'job-1').equals(a)).toBe(false);
    expect(a.toString('latin1')).not.toContain('s3cret');
  });

  it.each([
    ['another context', (b: SecretBox, s: Buffer) => b.open(s, 'job-2')],
    ['another purpose', (_b: SecretBox, s: Buffer) => SecretBox.derive(master, 'payloads').open(s, 'job-1')],
    [
      'a flipped byte',
      (b: SecretBox, s: Buffer) => b.open(Buffer.from(s.map((x, i) => (i === s.length - 1 ? x ^ 1 : x))), 'job-1'),
    ],
  ])('refuses to open a box with %s', (_what, open) => {
    const box = SecretBox.derive(master, 'credentials');
    const sealed = box.seal(Buffer.from('s3cret'), 'job-1');
    expect(() => open(box, sealed)).toThrow();
  });

  it('insists on a 32-byte master key', () => {
    expect(() => SecretBox.derive(randomBytes(16), 'x')).toThrow(/32 bytes/);
  });

  describe('during a key rotation', () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const sealedBefore = SecretBox.derive(oldKey, 'creds').seal(Buffer.from('before'), 'job-1');
    const ring = SecretBox.derive([newKey, oldKey], 'creds');

    it('opens what the retired key sealed', () => {
      expect(ring.open(sealedBefore, 'job-1').toString()).toBe('before');
    });

    it('seals with the new key only, so the retired key can go once old data is resealed', () => {
      const sealedAfter = ring.seal(Buffer.from('after'), 'job-2');
      expect(SecretBox.derive(newKey, 'creds').open(sealedAfter, 'job-2').toString()).toBe('after');
      expect(() => SecretBox.derive(oldKey, 'creds').open(sealedAfter, 'job-2')).toThrow();
    });

    it('still refuses a box from another context or key', () => {
      expect(() => ring.open(sealedBefore, 'job-2')).toThrow();
      expect(() => SecretBox.derive([randomBytes(32)], 'creds').open(sealedBefore, 'job-1')).toThrow();
    });
  });
});

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
});

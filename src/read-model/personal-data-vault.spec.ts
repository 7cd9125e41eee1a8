import { randomBytes } from 'node:crypto';
import { PersonalDataVault } from './personal-data-vault';
import { SecretBox } from '../crypto/secret-box';

const personal = { company_name: 'ACME Cybersecurity Inc.', contact_email: 'john.smith@acmecyber.com' };

describe('PersonalDataVault', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);

  it('seals the fields so that none is readable, and opens them for the same job only', () => {
    const vault = PersonalDataVault.fromKeys(oldKey);
    const sealed = vault.seal('job-1', personal);
    const raw = Buffer.from(sealed, 'base64').toString('latin1') + sealed;
    for (const v of Object.values(personal)) expect(raw).not.toContain(v);
    expect(vault.open('job-1', sealed)).toEqual(personal);
    expect(() => vault.open('job-2', sealed)).toThrow();
  });

  it('uses a key of its own: the credentials key does not open it', () => {
    const sealed = PersonalDataVault.fromKeys(oldKey).seal('job-1', personal);
    const credentials = SecretBox.derive(oldKey, 'access-credentials');
    expect(() => credentials.open(Buffer.from(sealed, 'base64'), 'job-1')).toThrow();
  });

  it('opens with a retired key during a rotation and re-seals with the new one', () => {
    const sealed = PersonalDataVault.fromKeys(oldKey).seal('job-1', personal);
    const rotating = PersonalDataVault.fromKeys([newKey, oldKey]);
    expect(rotating.open('job-1', sealed)).toEqual(personal);
    const resealed = rotating.reseal('job-1', sealed);
    expect(PersonalDataVault.fromKeys(newKey).open('job-1', resealed)).toEqual(personal);
    expect(() => PersonalDataVault.fromKeys(oldKey).open('job-1', resealed)).toThrow();
  });
});

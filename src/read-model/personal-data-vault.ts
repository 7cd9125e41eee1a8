import { SecretBox } from '../crypto/secret-box';
import { PERSONAL_FIELDS, type PersonalData } from '../domain/personal-data';

/** The HKDF purpose of the personal-data key: its own key, never shared with credentials or payloads. */
export const PERSONAL_DATA_PURPOSE = 'personal-data';

/**
 * Seals a job's personal fields for `provisioning_jobs.personal_data` (AES-256-GCM, base64) with
 * the job id as associated data, so a value copied to another row does not open. Like the
 * credentials box it seals with ENCRYPTION_KEY and opens with it or a retired key.
 */
export class PersonalDataVault {
  constructor(private readonly box: SecretBox) {}

  static fromKeys(masterKeys: Buffer | readonly Buffer[]): PersonalDataVault {
    return new PersonalDataVault(SecretBox.derive(masterKeys, PERSONAL_DATA_PURPOSE));
  }

  seal(jobId: string, personal: PersonalData): string {
    return this.box.seal(Buffer.from(JSON.stringify(personal)), jobId).toString('base64');
  }

  /** Throws when no key of the vault sealed it for this job, or it was tampered with. */
  open(jobId: string, sealed: string): PersonalData {
    const parsed = JSON.parse(this.box.open(Buffer.from(sealed, 'base64'), jobId).toString()) as Record<
      string,
      unknown
    >;
    const personal: PersonalData = {};
    for (const f of PERSONAL_FIELDS) if (typeof parsed[f] === 'string') personal[f] = parsed[f];
    return personal;
  }

  /** The same fields sealed again with the current key (key rotation). */
  reseal(jobId: string, sealed: string): string {
    return this.seal(jobId, this.open(jobId, sealed));
  }
}

import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app-config';
import { SecretBox } from '../src/crypto/secret-box';
import { dataSourceOptions } from '../src/persistence/data-source-options';
import { PersonalDataVault } from '../src/read-model/personal-data-vault';
import { resealCredentials } from '../src/read-model/reseal-credentials';
import { resealPersonalData } from '../src/read-model/reseal-personal-data';
import { sealClearPersonalData } from '../src/read-model/seal-clear-personal-data';

// `npm run reseal-credentials`, step 3 of a key rotation (docs/operations.md): re-seals stored
// credentials and personal data with ENCRYPTION_KEY, opening them with it or with
// ENCRYPTION_KEYS_RETIRED (and seals any personal field still in clear, ADR 20).
async function main(): Promise<void> {
  const config = loadConfig(process.env, 'worker');
  const db = await new DataSource(dataSourceOptions(config.database.url)).initialize();
  try {
    const n = await resealCredentials(db, SecretBox.derive(config.encryptionKeys, 'access-credentials'));
    console.log(`re-sealed the credentials of ${n} jobs with the current key`);
    const vault = PersonalDataVault.fromKeys(config.encryptionKeys);
    const sealed = await sealClearPersonalData(db, vault);
    const p = await resealPersonalData(db, vault);
    console.log(`re-sealed the personal data of ${p} jobs with the current key (${sealed} sealed from clear)`);
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

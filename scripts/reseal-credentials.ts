import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app-config';
import { SecretBox } from '../src/crypto/secret-box';
import { dataSourceOptions } from '../src/persistence/data-source-options';
import { resealCredentials } from '../src/read-model/reseal-credentials';

// `npm run reseal-credentials`, step 3 of a key rotation (docs/operations.md): re-seals stored
// credentials with ENCRYPTION_KEY, opening them with it or with ENCRYPTION_KEYS_RETIRED.
async function main(): Promise<void> {
  const config = loadConfig(process.env, 'worker');
  const db = await new DataSource(dataSourceOptions(config.database.url)).initialize();
  try {
    const n = await resealCredentials(db, SecretBox.derive(config.encryptionKeys, 'access-credentials'));
    console.log(`re-sealed the credentials of ${n} jobs with the current key`);
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

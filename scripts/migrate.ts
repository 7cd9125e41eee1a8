import 'reflect-metadata';
import { loadConfig } from '../src/config/app-config';
import { migrateDatabase } from './stack/migrate-database';

// `npm run migration:run`: applies pending migrations to DATABASE_URL (used by the Helm hook),
// with ENCRYPTION_KEY (and ENCRYPTION_KEYS_RETIRED) when set, to seal personal data kept in clear.
const config = loadConfig(process.env, 'tool');
const keys = config.encryptionKey.length === 32 ? config.encryptionKeys : undefined;
migrateDatabase(config.database.url, keys).then(
  (ran) => console.log(ran.length ? `migrations applied: ${ran.join(', ')}` : 'database schema is up to date'),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);

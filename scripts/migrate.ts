import 'reflect-metadata';
import { loadConfig } from '../src/config/app-config';
import { migrateDatabase } from './stack/migrate-database';

// `npm run migration:run`: applies pending migrations to DATABASE_URL (used by the Helm hook).
migrateDatabase(loadConfig(process.env, 'tool').database.url).then(
  (ran) => console.log(ran.length ? `migrations applied: ${ran.join(', ')}` : 'database schema is up to date'),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);

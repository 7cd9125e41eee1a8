import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { migrateDatabase } from '../../scripts/stack/migrate-database';
import { dataSourceOptions } from '../../src/persistence/data-source-options';
import { testEnv } from './test-env';

/** Creates an empty database on the server of `serverUrl`; returns its URL. */
export async function createDatabase(serverUrl: string, database: string): Promise<string> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Drops a database, closing its connections. */
export async function dropDatabase(serverUrl: string, database: string): Promise<void> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/**
 * A database of its own for a test that looks at every job (the reconciliation sweep would see
 * the other test files' jobs in the shared one), migrated like the shared one.
 */
export async function openIsolatedDatabase(
  name: string,
): Promise<{ url: string; db: DataSource; drop(): Promise<void> }> {
  const shared = testEnv('databaseUrl');
  const database = `${new URL(shared).pathname.slice(1)}_${name}`.slice(0, 63);
  const url = await createDatabase(shared, database);
  await migrateDatabase(url);
  const db = await new DataSource(dataSourceOptions(url)).initialize();
  return {
    url,
    db,
    async drop() {
      await db.destroy();
      await dropDatabase(shared, database);
    },
  };
}

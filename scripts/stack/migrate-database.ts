import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/persistence/data-source-options';

/**
 * Runs the read model's pending TypeORM migrations; returns the names of those it ran. The
 * encryption keys (current first) let a migration seal data it finds in clear (ADR 20).
 */
export async function migrateDatabase(url: string, encryptionKeys?: readonly Buffer[]): Promise<string[]> {
  const db = new DataSource(dataSourceOptions(url, { encryptionKeys }));
  await db.initialize();
  try {
    const ran = await db.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  } finally {
    await db.destroy();
  }
}

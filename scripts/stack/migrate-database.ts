import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/persistence/data-source-options';

/** Runs the read model's pending TypeORM migrations; returns the names of those it ran. */
export async function migrateDatabase(url: string): Promise<string[]> {
  const db = new DataSource(dataSourceOptions(url));
  await db.initialize();
  try {
    const ran = await db.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  } finally {
    await db.destroy();
  }
}

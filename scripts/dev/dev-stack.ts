import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseApiKeys } from '../../src/auth/api-keys';
import { allows } from '../../src/auth/scopes';
import { startProcess, type ManagedProcess } from '../stack/child-process';
import { isWildcard, startCodecRelay, type CodecRelay } from '../stack/codec-relay';
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from '../stack/embedded-postgres';
import { isListening } from '../stack/free-port';
import { migrateDatabase } from '../stack/migrate-database';
import { dataPath, projectRoot, toolPath } from '../stack/project-paths';
import { browserHost, startTemporalDevServer, urlHost, type TemporalDevServer } from '../stack/temporal-dev-server';
import { waitUntilReady } from '../stack/wait-until-ready';
import { devApiKeys, devEncryptionKey } from './dev-secrets';

// `npm run dev`: the whole stack on embedded defaults, durable across restarts (.data/, or
// DEV_DATA_DIR).
const GATEWAY_PORT = Number(process.env.PORT ?? 8081);
const TEMPORAL_PORT = Number(process.env.TEMPORAL_PORT ?? 7233);
const TEMPORAL_UI_PORT = Number(process.env.TEMPORAL_UI_PORT ?? 8233);
const EMBEDDED_PG_PORT = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
// Everything the stack serves listens on this address: this machine only, unless widened
// (DEV_BIND_HOST=0.0.0.0, or one of the machine's addresses). Embedded Postgres stays on loopback.
const BIND_HOST = process.env.DEV_BIND_HOST?.trim() || '127.0.0.1';
/** How the launcher itself reaches what listens on BIND_HOST. */
const LOCAL_HOST = isWildcard(BIND_HOST) ? '127.0.0.1' : urlHost(BIND_HOST);
/** How a browser on this machine reaches it. */
const BROWSER_HOST = browserHost(BIND_HOST);
const DATA_DIR = resolve(process.env.DEV_DATA_DIR ?? dataPath());
const data = (...parts: string[]) => join(DATA_DIR, ...parts);
// The worker drains on SIGTERM: it lets running tofu finish (up to PROVISIONING_TIMEOUT) and
// stops it gracefully after that (TOFU_KILL_GRACE_SECONDS). It is never cut shorter than that.
const WORKER_DRAIN_MS =
  (Number(process.env.PROVISIONING_TIMEOUT ?? 3600) + Number(process.env.TOFU_KILL_GRACE_SECONDS ?? 30) + 60) * 1000;

const say = (msg: string) => process.stderr.write(`dev: ${msg}\n`);

/** One part of the stack and how to stop it; stopped in the reverse order of starting. */
interface Part {
  name: string;
  stop: () => Promise<void>;
}

async function main(): Promise<void> {
  const started = Date.now();
  const logs = data('logs');
  mkdirSync(logs, { recursive: true });
  const parts: Part[] = [];
  let stopping = false;
  // Every child runs in its own process group, so a terminal's Ctrl-C reaches only this
  // launcher, which stops them in order: gateway (no new work), worker (drained: running tofu
  // saves its state), Temporal, and Postgres last, since tofu's state and the read model live there.
  const stopAll = async (code: number) => {
    if (stopping) {
      say('already stopping: waiting for the worker to drain (running tofu finishes and saves its state)');
      return;
    }
    stopping = true;
    say('stopping...');
    for (const part of [...parts].reverse()) {
      say(`stopping ${part.name}`);
      await part.stop().then(
        () => say(`stopped ${part.name}`),
        (e: unknown) => say(`stopping ${part.name} failed: ${String(e)}`),
      );
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  process.on('SIGHUP', () => void stopAll(0));

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
      say(`starting embedded Postgres on 127.0.0.1:${EMBEDDED_PG_PORT}`);
      const pg: EmbeddedPostgresServer = await startEmbeddedPostgres({
        dataDir: data('postgres'),
        port: EMBEDDED_PG_PORT,
        database: 'poc_engine',
        logFile: join(logs, 'postgres.log'),
        onLog: say,
      });
      parts.push({ name: 'postgres', stop: () => pg.stop() });
      say(`Postgres data in ${pg.dataDir}`);
      databaseUrl = pg.url;
    }

    if (await isListening(TEMPORAL_PORT)) {
      throw new Error(
        `port ${TEMPORAL_PORT} is taken: is another Temporal server or dev stack running? (TEMPORAL_PORT)`,
      );
    }
    const apiKey = devApiKeys(data('dev-api-key'));
    // The UI decrypts payloads through the gateway's codec endpoints (from the browser), which
    // take credentials: the UI cannot send a key, so a relay adds one with the credentials scope
    // and no tenant limit (the codec refuses keys limited to some tenants: ADR 0019).
    const codecKey = parseApiKeys(apiKey.keys).entries.find((k) => allows(k.scopes, 'credentials') && !k.tenants);
    let relay: CodecRelay | undefined;
    if (codecKey) {
      relay = await startCodecRelay({
        host: BIND_HOST,
        target: `http://${LOCAL_HOST}:${GATEWAY_PORT}/api/v1/codec`,
        apiKey: codecKey.key,
      });
    } else {
      say('no API key with the credentials scope and no tenant limit: the Temporal UI will show payloads encrypted');
    }

    say(`starting Temporal dev server on ${LOCAL_HOST}:${TEMPORAL_PORT} (history in ${data('temporal.db')})`);
    const temporal: TemporalDevServer = await startTemporalDevServer({
      binary: toolPath('temporal'),
      ip: BIND_HOST,
      port: TEMPORAL_PORT,
      uiPort: TEMPORAL_UI_PORT,
      dbFile: data('temporal.db'),
      logFile: join(logs, 'temporal.log'),
      codecEndpoint: relay?.url,
    });
    parts.push({ name: 'temporal', stop: () => temporal.stop() });

    // The key lets a migration seal personal data an older version kept in clear (ADR 20).
    const ran = await migrateDatabase(databaseUrl, [
      Buffer.from(devEncryptionKey(data('dev-encryption-key')), 'base64'),
    ]);
    say(ran.length ? `migrations applied: ${ran.join(', ')}` : 'database schema is up to date');

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: process.env.NODE_ENV ?? 'development',
      PORT: String(GATEWAY_PORT),
      // The gateway and the worker's metrics.
      LISTEN_HOST: BIND_HOST,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      PROVISIONING_API_KEYS: apiKey.keys,
      ENCRYPTION_KEY: devEncryptionKey(data('dev-encryption-key')),
      WORKSPACE_ROOT: process.env.WORKSPACE_ROOT ?? data('workspaces'),
      ENVIRONMENT_ROOT: process.env.ENVIRONMENT_ROOT ?? data('environments'),
      TOFU_PLUGIN_CACHE_DIR: process.env.TOFU_PLUGIN_CACHE_DIR ?? data('tofu-plugin-cache'),
      CODEC_CORS_ORIGINS:
        process.env.CODEC_CORS_ORIGINS ??
        [...new Set(['localhost', '127.0.0.1', BROWSER_HOST])].map((h) => `http://${h}:${TEMPORAL_UI_PORT}`).join(','),
    };
    const root = projectRoot();
    const child = (name: string, entry: string): ManagedProcess => {
      const proc = startProcess(name, process.execPath, [join(root, entry)], {
        env,
        cwd: root,
        logFile: join(logs, `${name}.log`),
        echo: true,
        ownProcessGroup: true,
      });
      void proc.exited.then((code) => {
        if (!stopping) {
          say(`${name} exited (${code}); stopping the stack`);
          void stopAll(1);
        }
      });
      return proc;
    };
    const worker = child('worker', 'dist/src/worker/main.js');
    parts.push({ name: 'worker', stop: () => worker.stop(WORKER_DRAIN_MS) });
    const gateway = child('gateway', 'dist/src/main.js');
    // The relay is the gateway's door for the Web UI: it closes with it (and with the process).
    parts.push({
      name: 'gateway',
      stop: async () => {
        await gateway.stop(30_000);
        await relay?.close();
      },
    });

    await waitForHealthy(`http://${LOCAL_HOST}:${GATEWAY_PORT}`);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      [
        '',
        `POC provisioning engine is up (healthy after ${seconds} s)`,
        `  API          http://${BROWSER_HOST}:${GATEWAY_PORT}/api/v1  (health: /api/v1/health)`,
        `  API key      ${apiKey.shown}   (send as "Authorization: Bearer <key>" or "X-API-Key")`,
        `  Temporal UI  ${temporal.uiUrl}  (payloads decoded by the gateway's /api/v1/codec)`,
        `  Metrics      http://${BROWSER_HOST}:${GATEWAY_PORT}/api/v1/metrics (gateway), http://${BROWSER_HOST}:${process.env.METRICS_PORT ?? 9464}/metrics (worker)`,
        `  Temporal     ${temporal.address}`,
        `  Postgres     ${redact(databaseUrl)}`,
        `  Logs         ${logs}`,
        BIND_HOST === '127.0.0.1'
          ? '  Listening on 127.0.0.1 only (DEV_BIND_HOST=0.0.0.0 opens it to the network)'
          : `  Listening on ${BIND_HOST} (DEV_BIND_HOST): the Temporal UI shows decoded payloads to whoever reaches it`,
        'Ctrl-C stops everything.',
        '',
      ].join('\n'),
    );
  } catch (err) {
    // embedded-postgres rejects with strings (or nothing); say what we can.
    const reason = err instanceof Error ? err.message : typeof err === 'string' ? err : 'unknown error';
    say(`failed: ${reason} (logs in ${logs})`);
    await stopAll(1);
  }
}

function waitForHealthy(origin: string, timeoutMs = 120_000): Promise<void> {
  return waitUntilReady(
    `gateway on ${origin}`,
    async () => {
      const res = await fetch(`${origin}/api/v1/health`);
      return ((await res.json()) as { status?: string }).status === 'healthy';
    },
    { timeoutMs, intervalMs: 250 },
  );
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}

void main();

import { Connection } from '@temporalio/client';
import { CUSTOM_SEARCH_ATTRIBUTES } from '../../src/temporal/search-attributes';
import { isWildcard } from './codec-relay';
import { waitUntilReady } from './wait-until-ready';
import { startProcess, type ManagedProcess } from './child-process';

/** A running Temporal dev server. */
export interface TemporalDevServer {
  address: string;
  uiUrl: string | null;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/**
 * Starts `temporal server start-dev` with the engine's search attributes registered. With a
 * `dbFile` history survives restarts; with a `uiPort` the Web UI is served, else headless.
 */
export async function startTemporalDevServer(opts: {
  binary: string;
  port: number;
  /** Address the frontend, the Web UI and the server's metrics listen on (default 127.0.0.1). */
  ip?: string;
  uiPort?: number;
  dbFile?: string;
  logFile: string;
  namespace?: string;
  /** Codec server of the Web UI, e.g. http://localhost:8081/api/v1/codec. */
  codecEndpoint?: string;
}): Promise<TemporalDevServer> {
  const ip = opts.ip ?? '127.0.0.1';
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(opts.port), '--log-level', 'warn'];
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');
  // The Web UI sends payloads to this codec server (the gateway) to show them decrypted.
  if (opts.uiPort && opts.codecEndpoint) args.push('--ui-codec-endpoint', opts.codecEndpoint);
  if (opts.namespace && opts.namespace !== 'default') args.push('--namespace', opts.namespace);
  // Task priorities (request priority -> priorityKey) need the server's newer matcher.
  args.push('--dynamic-config-value', 'matching.useNewMatcher=true');
  for (const sa of CUSTOM_SEARCH_ATTRIBUTES) args.push('--search-attribute', `${sa.name}=${sa.cliType}`);
  const proc = startProcess('temporal', opts.binary, args, { logFile: opts.logFile, ownProcessGroup: true });
  // Reached on loopback when it listens on every interface (a wildcard listens there too).
  const address = `${isWildcard(ip) ? '127.0.0.1' : urlHost(ip)}:${opts.port}`;
  try {
    await waitForFrontend(address, proc);
  } catch (err) {
    await proc.stop(2000);
    throw err;
  }
  return {
    address,
    uiUrl: opts.uiPort ? `http://${browserHost(ip)}:${opts.uiPort}` : null,
    process: proc,
    stop: () => proc.stop(10_000),
  };
}

function waitForFrontend(address: string, proc: ManagedProcess, timeoutMs = 60_000): Promise<void> {
  return waitUntilReady(
    `temporal dev server at ${address}`,
    async () => {
      const conn = await Connection.connect({ address, connectTimeout: 1000 });
      await conn.healthService.check({});
      await conn.close();
      return true;
    },
    { timeoutMs, intervalMs: 300, process: proc },
  );
}

/** An address as the host part of a URL (IPv6 in brackets). */
export function urlHost(ip: string): string {
  return ip.includes(':') ? `[${ip}]` : ip;
}

/** The host a browser on this machine uses for a server listening on `ip`. */
export function browserHost(ip: string): string {
  return ip === '127.0.0.1' || isWildcard(ip) ? 'localhost' : urlHost(ip);
}

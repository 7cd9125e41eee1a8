import { Client } from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError } from '../../src/domain/domain-error';
import { stateConnectionString } from '../tofu/state-connection-string';
import type { StateBackendConfig } from './state-backend';

/** How long one probe of the state backend may take before it counts as unanswered. */
const PROBE_TIMEOUT_MS = 5_000;
const WAIT_MIN_MS = 500;
const WAIT_MAX_MS = 5_000;

/** Asks the state backend whether it answers; resolves with why not, or null when it does. */
export type BackendProbe = () => Promise<string | null>;

/**
 * A probe of where tofu keeps state: for pg, a connection and `SELECT 1` with the same
 * connection string tofu gets; for gcs, any HTTP answer from the storage endpoint (an
 * unauthenticated 401 still proves it is there; only a network failure does not).
 */
export function stateBackendProbe(cfg: StateBackendConfig): BackendProbe {
  switch (cfg.kind) {
    case 'pg':
      return async () => {
        const client = new Client({
          connectionString: stateConnectionString(cfg.databaseUrl),
          connectionTimeoutMillis: PROBE_TIMEOUT_MS,
          query_timeout: PROBE_TIMEOUT_MS,
        });
        // A connection that breaks while probing emits 'error'; unhandled, it would end the worker.
        client.on('error', () => undefined);
        try {
          await client.connect();
          await client.query('SELECT 1');
          return null;
        } catch (err) {
          return (err as Error).message || String(err);
        } finally {
          await client.end().catch(() => undefined);
        }
      };
    case 'gcs': {
      const base = (cfg.emulatorEndpoint ?? 'https://storage.googleapis.com').replace(/\/+$/, '');
      const url = `${base}/storage/v1/b/${encodeURIComponent(cfg.bucket)}`;
      return async () => {
        try {
          await fetch(url, { method: 'GET', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
          return null;
        } catch (err) {
          return (err as Error).message || String(err);
        }
      };
    }
  }
}

/** How a wait for the backend is bounded and observed. */
export interface BackendWait {
  /** Stop waiting (the activity was cancelled): the wait rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called on every probe that fails, so the activity keeps heartbeating while it waits. */
  onWaiting?: (reason: string, waitedMs: number) => void;
  /** Epoch ms after which waiting ends in DEPENDENCY_UNAVAILABLE (before the activity's own timeout). */
  deadline: number;
}

/**
 * Waits until the state backend answers. A backend that is away delays a tofu step; it does not
 * fail it, so the attempts meant for tofu's own failures are not spent on an outage. Past the
 * deadline it throws DEPENDENCY_UNAVAILABLE (retryable) naming the last reason.
 */
export async function waitForStateBackend(probe: BackendProbe, wait: BackendWait): Promise<void> {
  const started = Date.now();
  let pause = WAIT_MIN_MS;
  for (;;) {
    wait.signal?.throwIfAborted();
    const reason = await probe();
    if (reason === null) return;
    const waited = Date.now() - started;
    wait.onWaiting?.(reason, waited);
    if (Date.now() + pause > wait.deadline) {
      throw new DomainError(
        'DEPENDENCY_UNAVAILABLE',
        `the tofu state backend did not answer for ${Math.round(waited / 1000)} s: ${reason}`,
        [],
        { dependency: 'state_backend', waited_seconds: Math.round(waited / 1000) },
      );
    }
    // An aborted sleep rejects with a generic AbortError; the signal's own reason (Temporal's
    // cancellation) is what must reach the activity's caller.
    await sleep(pause, undefined, wait.signal ? { signal: wait.signal } : undefined).catch((err: unknown) => {
      wait.signal?.throwIfAborted();
      throw err;
    });
    pause = Math.min(WAIT_MAX_MS, pause * 2);
  }
}

import { join } from 'node:path';
import { startProcess, type ManagedProcess } from './child-process';
import { freePort } from './free-port';
import { toolPath } from './project-paths';
import { waitUntilReady } from './wait-until-ready';

/** A running fake-gcs-server (in memory): a real GCS JSON API on a local port. */
export interface FakeGcs {
  endpoint: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/** Starts fake-gcs-server over plain HTTP on a free port and waits until it answers. */
export async function startFakeGcs(logDir: string): Promise<FakeGcs> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const proc = startProcess(
    'fake-gcs',
    toolPath('fake-gcs-server'),
    [
      ...['-scheme', 'http', '-host', '127.0.0.1', '-port', String(port), '-backend', 'memory'],
      // Media downloads (/bucket/object) are routed by Host: it must be ours, not storage.googleapis.com.
      ...['-external-url', endpoint, '-public-host', `127.0.0.1:${port}`],
    ],
    { logFile: join(logDir, `fake-gcs-${port}.log`) },
  );
  try {
    await waitUntilReady(`fake-gcs-server on ${endpoint}`, async () => (await fetch(`${endpoint}/storage/v1/b`)).ok, {
      timeoutMs: 30_000,
      intervalMs: 100,
      process: proc,
    });
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { endpoint, process: proc, stop: () => proc.stop() };
}

import { DefaultLogger, Runtime } from '@temporalio/worker';

// Workers log every state change at INFO; tests only want warnings and errors. The Runtime is
// a per-process singleton and Jest reuses processes between test files, so install it once.
try {
  Runtime.install({ logger: new DefaultLogger((process.env.TEMPORAL_TEST_LOG_LEVEL as 'WARN') ?? 'WARN') });
} catch {
  // already installed in this process
}

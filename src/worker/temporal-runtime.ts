import { Runtime, type RuntimeOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { TemporalPinoLogger } from '../logging/temporal-pino-logger';

/** Where the SDK's Prometheus exporter listens: loopback only, the worker's /metrics serves it. */
export function sdkMetricsAddress(config: AppConfig): string | null {
  return config.observability.metricsPort === 0 ? null : `127.0.0.1:${config.observability.sdkMetricsPort}`;
}

/** Runtime options of a worker process: SDK logs through pino, SDK metrics in Prometheus format. */
export function runtimeOptions(config: AppConfig, logger: Logger): RuntimeOptions {
  const metricsAddress = sdkMetricsAddress(config);
  return {
    logger: new TemporalPinoLogger(logger),
    telemetryOptions: {
      // Core's own (Rust) log lines go to the same logger instead of straight to the console.
      logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} },
      ...(metricsAddress ? { metrics: { prometheus: { bindAddress: metricsAddress } } } : {}),
    },
  };
}

/**
 * Installs the process-wide Temporal Runtime; must run before the first connection is made.
 * A metrics port that is taken costs the SDK's metrics (logged, and noted in /metrics), not the worker.
 */
export function installTemporalRuntime(config: AppConfig, logger: Logger): void {
  const options = runtimeOptions(config, logger);
  try {
    Runtime.install(options);
  } catch (err) {
    if (!options.telemetryOptions?.metrics) throw err;
    logger.error({ err: (err as Error).message }, 'Temporal SDK metrics are off');
    Runtime.install({ ...options, telemetryOptions: { ...options.telemetryOptions, metrics: undefined } });
  }
}

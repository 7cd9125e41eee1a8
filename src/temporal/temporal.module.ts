import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { engineDataConverter } from './engine-data-converter';
import { temporalConnectionOptions } from './connection-options';
import { RequestIdMemoInterceptor } from './request-id.interceptor';

/** Injection token of the Temporal Client. */
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');

/**
 * Injection token of the probes' Temporal connection (health checks). It has no retry
 * interceptor: a probe asks once and reports what it saw, the next probe asks again. With the
 * SDK's retries, a call to an unreachable server leaves a retry timer behind that starts a call
 * on the closed connection after shutdown (an uncaught "Channel has been shut down").
 */
export const TEMPORAL_PROBE_CONNECTION = Symbol('TEMPORAL_PROBE_CONNECTION');

/** Closes the connections when the application shuts down. */
@Injectable()
class TemporalConnectionCloser implements OnApplicationShutdown {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(TEMPORAL_PROBE_CONNECTION) private readonly probe: Connection,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.client.connection.close(), this.probe.close()]);
  }
}

/**
 * The gateway's Temporal client. The connection is lazy (no I/O in the factory): it is made
 * on first use and retried by the SDK, so the gateway starts even while Temporal does not.
 */
@Global()
@Module({
  providers: [
    {
      provide: TEMPORAL_CLIENT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new Client({
          connection: Connection.lazy(temporalConnectionOptions(config.temporal)),
          namespace: config.temporal.namespace,
          dataConverter: engineDataConverter(config.encryptionKeys),
          // Puts the active span (the HTTP request's) into the workflow's headers: the run joins
          // the request's trace. Without a registered tracer provider it does nothing.
          interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor(), new RequestIdMemoInterceptor()] },
        }),
    },
    {
      provide: TEMPORAL_PROBE_CONNECTION,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        Connection.lazy({ ...temporalConnectionOptions(config.temporal), interceptors: [] }),
    },
    TemporalConnectionCloser,
  ],
  exports: [TEMPORAL_CLIENT, TEMPORAL_PROBE_CONNECTION],
})
export class TemporalModule {}

import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AuthGuard } from './auth/auth.guard';
import { AuthModule } from './auth/auth.module';
import { PgRateLimitStore } from './auth/rate-limit-store';
import type { AppConfig } from './config/app-config';
import { APP_CONFIG, ConfigModule } from './config/config.module';
import { ThrottlerModule } from '@nestjs/throttler';
import { PerCallerThrottlerGuard } from './auth/per-caller-throttler.guard';
import { DomainExceptionFilter } from './errors/domain-exception.filter';
import { CodecModule } from './codec/codec.module';
import { HealthModule } from './health/health.module';
import { gatewayLoggerModule, type GatewayLogOptions } from './logging/gateway-logger.module';
import { MetricsModule } from './metrics/metrics.module';
import { PersistenceModule } from './persistence/persistence.module';
import { ProvisioningModule } from './provisioning/provisioning.module';
import { TemporalModule } from './temporal/temporal.module';
import { RequestValidationPipe } from './validation/request-validation.pipe';

/** The gateway: REST API over the read model, starting workflows on Temporal. */
@Module({})
export class AppModule {
  static forRoot(config?: AppConfig, logs: GatewayLogOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot('gateway', config),
        gatewayLoggerModule(logs),
        PersistenceModule,
        TemporalModule,
        ProvisioningModule,
        HealthModule,
        AuthModule,
        // Counted in Postgres, so the limit holds across gateway replicas.
        ThrottlerModule.forRootAsync({
          inject: [APP_CONFIG, PgRateLimitStore],
          useFactory: (c: AppConfig, storage: PgRateLimitStore) => ({
            throttlers: [{ ttl: 60_000, limit: c.auth.rateLimitPerMinute }],
            storage,
          }),
        }),
        MetricsModule,
        CodecModule,
      ],
      providers: [
        // Order matters: the caller is known before its rate is counted.
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: PerCallerThrottlerGuard },
        { provide: APP_FILTER, useClass: DomainExceptionFilter },
        // No global interceptor: a route without one skips Nest's interceptor chain (rxjs and an
        // async resource per request); the job-log interceptor sits on the provisioning routes.
        { provide: APP_PIPE, useValue: new RequestValidationPipe() },
      ],
    };
  }
}

import { Global, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Authenticator } from './authenticator';
import { FailedAuthLimiter } from './failed-auth-limiter';
import { PgRateLimitStore } from './rate-limit-store';

/** Who calls (the Authenticator) and the rate-limit counters every replica shares (Postgres). */
@Global()
@Module({
  providers: [
    {
      provide: PgRateLimitStore,
      inject: [getDataSourceToken()],
      useFactory: (db: DataSource) => new PgRateLimitStore(db),
    },
    {
      provide: Authenticator,
      inject: [APP_CONFIG, PgRateLimitStore],
      useFactory: (config: AppConfig, store: PgRateLimitStore) =>
        new Authenticator(config, new FailedAuthLimiter(store, config.auth.failedAttempts)),
    },
  ],
  exports: [Authenticator, PgRateLimitStore],
})
export class AuthModule {}

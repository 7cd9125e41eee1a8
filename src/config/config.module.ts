import { Global, Module } from '@nestjs/common';
import { loadConfig, type AppConfig, type ProcessRole } from './app-config';

/** Injection token of the typed AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** Provides configuration validated once, at module creation, for the given process role. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(role: ProcessRole, config?: AppConfig) {
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config ?? loadConfig(process.env, role) }],
      exports: [APP_CONFIG],
    };
  }
}

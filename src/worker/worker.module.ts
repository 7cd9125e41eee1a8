import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { PersistenceModule } from '../persistence/persistence.module';
import type { Tracing } from '../tracing/tracing';
import { WORKER_TRACING, WorkerService } from './worker.service';

/** The worker process: the read-model connection its activities write to, and the worker. */
@Module({})
export class WorkerModule {
  static forRoot(config?: AppConfig, tracing: Tracing | null = null): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot('worker', config), PersistenceModule],
      providers: [WorkerService, { provide: WORKER_TRACING, useValue: tracing }],
    };
  }
}

import { Global, Module } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { JobReader } from '../read-model/job-reader';
import { JobWriter } from '../read-model/job-writer';
import { dataSourceOptions } from './data-source-options';

/** The read model's connection and its reader and writer. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ ...dataSourceOptions(config.database.url), retryAttempts: 3 }),
    }),
  ],
  providers: [
    { provide: JobReader, inject: [getDataSourceToken()], useFactory: (db: DataSource) => new JobReader(db) },
    { provide: JobWriter, inject: [getDataSourceToken()], useFactory: (db: DataSource) => new JobWriter(db) },
  ],
  exports: [JobReader, JobWriter],
})
export class PersistenceModule {}

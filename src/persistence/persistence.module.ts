import { Global, Module } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { JobReader } from '../read-model/job-reader';
import { JobWriter } from '../read-model/job-writer';
import { PersonalDataVault } from '../read-model/personal-data-vault';
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
    {
      provide: JobWriter,
      inject: [getDataSourceToken(), APP_CONFIG],
      // The request's personal fields are sealed with ENCRYPTION_KEY, never stored in clear (ADR 20).
      useFactory: (db: DataSource, config: AppConfig) =>
        new JobWriter(db, PersonalDataVault.fromKeys(config.encryptionKeys)),
    },
  ],
  exports: [JobReader, JobWriter],
})
export class PersistenceModule {}

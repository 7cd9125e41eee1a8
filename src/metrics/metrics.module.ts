import { Global, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { HealthModule } from '../health/health.module';
import { HealthService } from '../health/health.service';
import { FleetFactsReader } from '../read-model/fleet-facts';
import { GatewayMetrics } from './gateway-metrics';
import { MetricsController } from './metrics.controller';

/** The gateway's Prometheus metrics; GatewayMetrics is injectable anywhere to count events. */
@Global()
@Module({
  // The pollers gauge asks Temporal what the health check asks it.
  imports: [HealthModule],
  controllers: [MetricsController],
  providers: [
    {
      provide: GatewayMetrics,
      inject: [getDataSourceToken(), HealthService],
      useFactory: (db: DataSource, health: HealthService) => {
        const fleet = new FleetFactsReader(db);
        return new GatewayMetrics(
          () => fleet.read(),
          () => health.cachedQueueStates(),
        );
      },
    },
  ],
  exports: [GatewayMetrics],
})
export class MetricsModule {}

import { Global, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { FleetFactsReader } from '../read-model/fleet-facts';
import { GatewayMetrics } from './gateway-metrics';
import { MetricsController } from './metrics.controller';

/** The gateway's Prometheus metrics; GatewayMetrics is injectable anywhere to count events. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: GatewayMetrics,
      inject: [getDataSourceToken()],
      useFactory: (db: DataSource) => {
        const fleet = new FleetFactsReader(db);
        return new GatewayMetrics(() => fleet.read());
      },
    },
  ],
  exports: [GatewayMetrics],
})
export class MetricsModule {}

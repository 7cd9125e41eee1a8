import { SkipThrottle } from '@nestjs/throttler';
import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../auth/public.decorator';
import { GatewayMetrics } from './gateway-metrics';

/** Prometheus scrape endpoint. Public like health: labels carry tiers and priorities, never tenants. */
// The Web UI decodes many payloads per page, Prometheus scrapes on a timer: no per-caller limit.
@SkipThrottle()
@Controller('api/v1/metrics')
export class MetricsController {
  constructor(private readonly metrics: GatewayMetrics) {}

  @Public()
  @Get()
  async scrape(@Res() res: Response): Promise<void> {
    const { contentType, body } = await this.metrics.scrape();
    res.setHeader('content-type', contentType);
    res.send(body);
  }
}

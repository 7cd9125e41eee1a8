import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../auth/public.decorator';
import { HealthService, type HealthReport } from './health.service';

// Probes must never be rate limited.
@SkipThrottle()
@ApiTags('health')
@Controller('api/v1/health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** 200 when the engine can serve (ok or degraded), 503 when Postgres or Temporal is down. */
  @Public()
  @Get()
  async check(@Res({ passthrough: true }) res: Response): Promise<HealthReport> {
    const report = await this.health.report();
    res.status(report.status === 'unhealthy' ? 503 : 200);
    return report;
  }
}

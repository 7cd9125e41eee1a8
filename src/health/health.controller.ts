import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../auth/public.decorator';
import { HealthService, type HealthReport, type ReadinessReport } from './health.service';

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

  /** Kubernetes liveness: the process answers. Nothing external is checked (a restart cannot fix it). */
  @Public()
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Kubernetes readiness: 200 when Postgres, Temporal and workers on every queue are there, else 503. */
  @Public()
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadinessReport> {
    const readiness = await this.health.readiness();
    res.status(readiness.ready ? 200 : 503);
    return readiness;
  }
}

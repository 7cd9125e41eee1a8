import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../auth/public.decorator';
import { HealthReport, Liveness, ReadinessReport } from '../openapi/responses';
import { HealthService } from './health.service';

// Probes must never be rate limited.
@SkipThrottle()
@ApiTags('health')
@Controller('api/v1/health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** The seed's health answer: 200 when healthy or degraded, 503 when Postgres or Temporal is down. */
  @ApiOperation({ summary: "The engine's health, in the seed's shape (plus each check in detail)" })
  @ApiResponse({ status: 200, type: HealthReport, description: 'healthy or degraded' })
  @ApiResponse({ status: 503, type: HealthReport, description: 'unhealthy: Postgres or Temporal does not answer' })
  @Public()
  @Get()
  async check(@Res({ passthrough: true }) res: Response): Promise<HealthReport> {
    const report = await this.health.report();
    res.status(report.status === 'unhealthy' ? 503 : 200);
    return report;
  }

  /** Kubernetes liveness: the process answers. Nothing external is checked (a restart cannot fix it). */
  @ApiOperation({ summary: 'Kubernetes liveness: the process answers' })
  @ApiResponse({ status: 200, type: Liveness })
  @Public()
  @Get('live')
  live(): Liveness {
    return { status: 'ok' };
  }

  /** Kubernetes readiness: 200 when Postgres, Temporal and workers on every queue are there, else 503. */
  @ApiOperation({ summary: 'Kubernetes readiness: Postgres and Temporal answer and a worker polls every task queue' })
  @ApiResponse({ status: 200, type: ReadinessReport, description: 'ready' })
  @ApiResponse({ status: 503, type: ReadinessReport, description: 'not ready; reasons says why' })
  @Public()
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadinessReport> {
    const readiness = await this.health.readiness();
    res.status(readiness.ready ? 200 : 503);
    return readiness;
  }
}

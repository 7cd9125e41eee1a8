import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INSTANT } from './api-enums';

/** healthy: everything answers and is served; degraded: it answers but cannot make progress; unhealthy: a dependency is down. */
export const HEALTH_STATES = ['healthy', 'degraded', 'unhealthy'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

export const DATABASE_STATES = ['connected', 'disconnected'] as const;
export type DatabaseState = (typeof DATABASE_STATES)[number];

const HEALTH_STATE_ENUM = { enum: [...HEALTH_STATES] as HealthState[], enumName: 'HealthState' } as const;

/** One dependency check: up with its latency, or down with the reason. */
export class CheckResult {
  @ApiProperty({ enum: ['up', 'down'] })
  status!: 'up' | 'down';

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'when up: milliseconds the check took' })
  latency_ms?: number;

  @ApiPropertyOptional({ description: 'when down: why' })
  error?: string;
}

/** The Temporal check, with the task queue the gateway starts workflows on. */
export class TemporalCheck extends CheckResult {
  @ApiProperty({ example: 'poc-provisioning' })
  task_queue!: string;
}

/** Added to the seed's health: each dependency check in detail. */
export class HealthChecks {
  @ApiProperty({ type: () => CheckResult })
  database!: CheckResult;

  @ApiProperty({ type: () => TemporalCheck })
  temporal!: TemporalCheck;
}

/** One task queue as Temporal sees it: who polls it and how much waits in it. */
export class QueueState {
  @ApiProperty({ example: 'poc-provisioning' })
  name!: string;

  @ApiProperty({ enum: ['workflow', 'activity'] })
  type!: 'workflow' | 'activity';

  @ApiProperty({ type: 'integer', minimum: 0, description: 'distinct worker identities that polled it recently' })
  pollers!: number;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: "tasks waiting for a worker (approximate, the server's stats)",
  })
  backlog!: number;
}

/**
 * The answer of GET /api/v1/health (200, or 503 when unhealthy): the seed's fields, then the
 * checks in detail.
 */
export class HealthReport {
  // The enum schema takes this description (the first use's): it says what each state means.
  @ApiProperty({
    ...HEALTH_STATE_ENUM,
    description:
      'healthy: Postgres and Temporal answer and a worker polls every task queue; degraded: they answer but ' +
      'some task queue has no worker; unhealthy: Postgres (status) or Temporal (status and queue) does not answer',
  })
  status!: HealthState;

  @ApiProperty({ enum: [...DATABASE_STATES] as DatabaseState[], enumName: 'DatabaseState' })
  database!: DatabaseState;

  @ApiProperty({
    ...HEALTH_STATE_ENUM,
    description:
      'the job queue (Temporal): unhealthy when it does not answer, degraded when a task queue has no worker',
  })
  queue!: HealthState;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'worker processes polling the workflow task queue' })
  workers!: number;

  @ApiProperty({ example: '0.1.0' })
  version!: string;

  @ApiProperty(INSTANT)
  timestamp!: string;

  @ApiProperty({ type: () => HealthChecks, description: 'added: each check in detail' })
  checks!: HealthChecks;

  @ApiProperty({
    type: () => [QueueState],
    description: 'added: the workflow queue, then the quick-activity and tofu-activity queues',
  })
  queues!: QueueState[];
}

/** The answer of GET /api/v1/health/ready (200 when ready, else 503). */
export class ReadinessReport {
  @ApiProperty()
  ready!: boolean;

  @ApiProperty({ type: [String], description: 'what is missing; empty when ready' })
  reasons!: string[];

  @ApiProperty({ type: () => HealthReport })
  report!: HealthReport;
}

/** The answer of GET /api/v1/health/live. */
export class Liveness {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';
}

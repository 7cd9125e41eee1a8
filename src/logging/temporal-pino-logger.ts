import type { Logger as TemporalLogger, LogLevel, LogMetadata } from '@temporalio/common';
import type { Logger } from 'pino';

/** The SDK's camelCase attributes, in the snake_case every other log line of the engine uses. */
const RENAMED: Record<string, string> = {
  workflowId: 'workflow_id',
  runId: 'run_id',
  workflowRunId: 'run_id',
  workflowType: 'workflow_type',
  activityId: 'activity_id',
  activityType: 'activity_type',
  taskQueue: 'task_queue',
  sdkComponent: 'sdk_component',
  isLocal: 'is_local',
};

/** Attributes that are noise in a log line (an opaque token) and are dropped. */
const DROPPED = new Set(['taskToken']);

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** Plain fields of SDK log metadata: renamed, tokens dropped, errors as messages. */
export function toLogFields(meta: LogMetadata | undefined): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(meta ?? {})) {
    if (DROPPED.has(key)) continue;
    fields[RENAMED[key] ?? key] = value instanceof Error ? { message: value.message, name: value.name } : value;
  }
  return fields;
}

/** The Temporal Runtime's logger (SDK, workflow and activity context loggers) writing through pino. */
export class TemporalPinoLogger implements TemporalLogger {
  constructor(private readonly pino: Logger) {}

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    this.pino[LEVELS[level]](toLogFields(meta), message);
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}

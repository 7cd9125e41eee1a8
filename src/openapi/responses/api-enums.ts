import { JOB_STATUSES, type JobStatus } from '../../domain/job-status';

/**
 * The job status enum as the OpenAPI document names it (one `JobStatus` schema every answer
 * refers to). The values and their order come from the job state machine: the seed's flow
 * pending → queued → provisioning → completed | failed, then the engine's lifecycle values.
 */
export const JOB_STATUS_ENUM = { enum: [...JOB_STATUSES] as JobStatus[], enumName: 'JobStatus' } as const;

/** A UUID string. */
export const UUID = { type: String, format: 'uuid' } as const;

/** An instant as RFC 3339 text (UTC, as toISOString writes it). */
export const INSTANT = { type: String, format: 'date-time', example: '2024-01-15T10:30:00.000Z' } as const;

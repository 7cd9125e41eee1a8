import type { OpenAPIObject } from '@nestjs/swagger';
import { JOB_STATUSES } from '../domain/job-state-machine';

type SchemaObject = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];

const str = { type: 'string' } as const;
const strOrNull = { type: 'string', nullable: true } as const;
const int = { type: 'integer' } as const;
const obj = { type: 'object', additionalProperties: true } as const;

const actions: SchemaObject = {
  type: 'object',
  required: ['can_cancel', 'can_extend', 'can_destroy'],
  properties: { can_cancel: { type: 'boolean' }, can_extend: { type: 'boolean' }, can_destroy: { type: 'boolean' } },
};

const jobStatus: SchemaObject = {
  type: 'string',
  enum: [...JOB_STATUSES],
};

/** Schemas of the API's answers (the requests' schemas come from their class-validator DTOs). */
export const RESPONSE_SCHEMAS: Record<string, SchemaObject> = {
  ErrorResponse: {
    type: 'object',
    required: ['success', 'error'],
    properties: {
      success: { type: 'boolean', enum: [false] },
      error: {
        type: 'object',
        required: ['code', 'message', 'details'],
        additionalProperties: true,
        properties: {
          code: { ...str, example: 'VALIDATION_FAILED' },
          message: str,
          details: {
            type: 'array',
            items: { type: 'object', required: ['field', 'reason'], properties: { field: str, reason: str } },
          },
        },
      },
    },
  },
  SubmitAccepted: {
    type: 'object',
    required: ['success', 'message', 'job_id', 'status', 'estimated_duration', 'progress_tracking_url'],
    properties: {
      success: { type: 'boolean', enum: [true] },
      message: str,
      job_id: { ...str, format: 'uuid' },
      status: jobStatus,
      estimated_duration: { ...str, example: 'PT15M', description: 'ISO-8601 duration' },
      progress_tracking_url: { ...str, format: 'uri' },
    },
  },
  JobStatus: {
    type: 'object',
    required: ['success', 'job_id', 'status', 'progress_percent', 'expires_at', 'actions'],
    properties: {
      success: { type: 'boolean', enum: [true] },
      job_id: { ...str, format: 'uuid' },
      tenant_id: { ...str, format: 'uuid' },
      tenant_slug: str,
      poc_tier: str,
      priority: str,
      status: jobStatus,
      message: strOrNull,
      current_step: strOrNull,
      completed_steps: int,
      total_steps: int,
      progress_percent: { ...int, minimum: 0, maximum: 100 },
      plan_summary: { ...obj, nullable: true },
      provisioned_resources: obj,
      service_endpoints: obj,
      expires_at: { ...str, format: 'date-time' },
      timings: {
        type: 'object',
        properties: {
          queued_at: strOrNull,
          started_at: strOrNull,
          completed_at: strOrNull,
          estimated_duration_seconds: { ...int, nullable: true },
          actual_duration_seconds: { ...int, nullable: true },
        },
      },
      queued_at: strOrNull,
      started_at: strOrNull,
      completed_at: strOrNull,
      updated_at: str,
      retry_count: int,
      artifacts: {
        type: 'object',
        additionalProperties: { type: 'string' },
        description: 'run artifacts (plan summary, tofu logs) by name → gs:// address, when an artifacts bucket is set',
      },
      actions,
      error_message: { ...strOrNull, description: 'failed or cancelled jobs only' },
      error_details: { ...obj, nullable: true, description: 'failed or cancelled jobs only' },
    },
  },
  JobList: {
    type: 'object',
    required: ['success', 'jobs', 'next_cursor'],
    properties: {
      success: { type: 'boolean', enum: [true] },
      jobs: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            job_id: str,
            tenant_id: str,
            tenant_slug: str,
            poc_tier: str,
            priority: str,
            status: jobStatus,
            current_step: strOrNull,
            progress_percent: int,
            expires_at: str,
            created_at: str,
            actions,
          },
        },
      },
      next_cursor: { ...strOrNull, description: 'pass as `cursor` for the next page; null on the last page' },
    },
  },
  JobEvents: {
    type: 'object',
    required: ['success', 'job_id', 'events'],
    properties: {
      success: { type: 'boolean', enum: [true] },
      job_id: str,
      events: {
        type: 'array',
        items: {
          type: 'object',
          properties: { seq: int, status: jobStatus, step: str, message: strOrNull, details: obj, at: str },
        },
      },
    },
  },
  JobCredentials: {
    type: 'object',
    required: ['success', 'job_id', 'credentials'],
    properties: { success: { type: 'boolean', enum: [true] }, job_id: str, credentials: obj },
  },
};

import { resolve } from 'node:path';
import { z } from 'zod';
import { parseApiKeys } from '../auth/api-keys';
import { DRIFT_POLICIES } from '../domain/drift';
import { POC_TIERS, type PocTier } from '../domain/poc-tier';
import { catalogueVariables } from './request-catalogue';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const path = (fallback: string) =>
  z
    .string()
    .min(1)
    .default(fallback)
    .transform((p) => resolve(p));

/**
 * Fewest distinct byte values a master key may have. 32 random bytes have about 30 (fewer than
 * 16 happens with a probability far below 1e-15), so a key under this bound was typed or built,
 * not drawn: all bytes equal, a short pattern repeated, a word padded out.
 */
export const MIN_DISTINCT_KEY_BYTES = 12;

/**
 * Why a base64 master key (ENCRYPTION_KEY) is refused, or undefined when it is acceptable: it
 * must decode to 32 bytes with at least MIN_DISTINCT_KEY_BYTES distinct values. Never quotes
 * the key itself.
 */
export function encryptionKeyProblem(base64: string): string | undefined {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) return 'must be 32 bytes, base64-encoded';
  const distinct = new Set(key).size;
  if (distinct < MIN_DISTINCT_KEY_BYTES) {
    return (
      `is too weak: ${distinct} distinct byte value(s) in 32, at least ${MIN_DISTINCT_KEY_BYTES} needed ` +
      '(use 32 random bytes: `openssl rand -base64 32`)'
    );
  }
  return undefined;
}

const fields = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(8081),
  LISTEN_HOST: z
    .string()
    .min(1)
    .default('0.0.0.0')
    .describe("address the gateway and the worker's metrics listen on (npm run dev: 127.0.0.1)"),
  TRUST_PROXY: z
    .string()
    .default('')
    .transform((raw, ctx) => trustProxyOf(raw, ctx))
    .describe('proxies in front of the gateway whose X-Forwarded-For names the client: a hop count or addresses'),
  PUBLIC_BASE_URL: z.string().url().optional(),
  DATABASE_URL: z
    .string({ required_error: 'is required (postgres://user:password@host:port/database)' })
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  TEMPORAL_ADDRESS: z.string().min(1).default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('poc-provisioning'),
  TEMPORAL_TLS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('TLS to the Temporal frontend; implied by a client certificate or an API key'),
  TEMPORAL_TLS_CERT_FILE: z.string().min(1).optional().describe('mTLS client certificate (PEM)'),
  TEMPORAL_TLS_KEY_FILE: z.string().min(1).optional().describe('mTLS client key (PEM)'),
  TEMPORAL_TLS_CA_FILE: z.string().min(1).optional().describe('CA of the server certificate, when not a public one'),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  TEMPORAL_API_KEY: z.string().min(1).optional().describe('Temporal Cloud API key'),
  PROVISIONING_API_KEYS: z
    .string()
    .default('')
    .transform((raw, ctx) => {
      const { entries, problems } = parseApiKeys(raw);
      problems.forEach((message) => ctx.addIssue({ code: z.ZodIssueCode.custom, message }));
      return entries;
    })
    .describe('comma-separated key, key:scope+scope or key:scope+scope@tenant_id+tenant_id (ADR 0019)'),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters (HS256)').optional(),
  JWT_JWKS_URL: z.string().url().optional(),
  JWT_MAX_LIFETIME_SECONDS: positiveInt(3600).describe('longest accepted JWT lifetime (exp - iat) and age (now - iat)'),
  JWT_CLOCK_SKEW_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(300, 'must be at most 300 seconds')
    .default(60)
    .describe('clock difference tolerated between the JWT issuer and the gateway'),
  RATE_LIMIT_PER_MINUTE: positiveInt(120).describe('requests per minute per API key or JWT subject'),
  AUTH_FAILURE_LIMIT: positiveInt(20).describe('failed authentications per client address per window before 429'),
  AUTH_FAILURE_WINDOW_SECONDS: positiveInt(300).describe(
    'window of AUTH_FAILURE_LIMIT, and how long a blocked address waits',
  ),
  ENCRYPTION_KEY: z
    .string()
    .optional()
    .superRefine((k, ctx) => {
      const problem = k === undefined ? undefined : encryptionKeyProblem(k);
      if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
    }),
  ENCRYPTION_KEYS_RETIRED: z
    .string()
    .default('')
    .transform((raw) =>
      raw
        .split(',')
        .map((k) => k.trim())
        .filter((k) => k.length > 0),
    )
    .refine(
      (keys) => keys.every((k) => Buffer.from(k, 'base64').length === 32),
      'every retired key must be 32 bytes, base64-encoded',
    )
    .describe('keys replaced by ENCRYPTION_KEY that still open older data'),
  TOFU_BINARY: path('.tools/bin/tofu'),
  TOFU_STACK: z.enum(['local', 'gcp']).default('local'),
  GCP_PROJECT_ID: z.string().min(6).optional().describe("the project tenants' environments go in (TOFU_STACK=gcp)"),
  TERRAFORM_DIR: path('terraform'),
  WORKSPACE_ROOT: path('.data/workspaces'),
  STATE_BACKEND: z.enum(['pg', 'gcs']).default('pg').describe('where tofu state lives'),
  STATE_GCS_BUCKET: z.string().min(3).optional(),
  STATE_GCS_PREFIX: z.string().min(1).default('poc-engine/tenants'),
  STATE_ENCRYPTION_KMS_KEY: z
    .string()
    .regex(
      /^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/,
      'must be a Cloud KMS key name: projects/P/locations/L/keyRings/R/cryptoKeys/K',
    )
    .optional()
    .describe('Cloud KMS key that encrypts tofu state and plans; unset: a key derived from ENCRYPTION_KEY'),
  ARTIFACTS_GCS_BUCKET: z.string().min(3).optional().describe('plan and apply logs per job; off when unset'),
  GCS_EMULATOR_ENDPOINT: z.string().url().optional().describe('fake-gcs-server for development and tests'),
  TOFU_PLUGIN_CACHE_DIR: path('.data/tofu-plugin-cache').describe('writable provider cache shared by inits'),
  TOFU_PROVIDER_MIRROR_DIR: z
    .string()
    .min(1)
    .optional()
    .transform((p) => (p === undefined ? undefined : resolve(p)))
    .describe('read-only provider mirror; when set, the plugin cache is not used (local stack: .tools/providers)'),
  ENVIRONMENT_ROOT: path('.data/environments'),
  MAX_CONCURRENT_PROVISIONS: positiveInt(4),
  PROVISIONING_TIMEOUT: positiveInt(3600).describe('seconds one tofu apply or destroy may take'),
  WORKER_RETRY_ATTEMPTS: positiveInt(5),
  DESTROY_RETRY_INITIAL_SECONDS: positiveInt(3600).describe('wait after a failed destroy before it is tried again'),
  DESTROY_RETRY_MAX_SECONDS: positiveInt(86400).describe('longest wait between destroy attempts (the wait doubles)'),
  TOFU_KILL_GRACE_SECONDS: positiveInt(30),
  RECONCILE_INTERVAL_SECONDS: positiveInt(900).describe('how often the reconciliation sweep runs'),
  RECONCILE_GRACE_SECONDS: positiveInt(600).describe('records younger than this are left to the sweep after'),
  PERSONAL_DATA_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(0)
    .max(3650, 'must be at most 3650 days')
    .default(30)
    .describe("days a job's personal fields are kept after its environment is gone (then the sweep purges them)"),
  NOTIFY_WEBHOOK_URL: z
    .string()
    .url()
    .optional()
    .describe('https, unless a loopback host or NOTIFY_WEBHOOK_ALLOW_HTTP'),
  NOTIFY_WEBHOOK_ALLOW_HTTP: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('accept an http:// webhook URL on a non-loopback host (a dev cluster; never in production)'),
  NOTIFY_WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  NOTIFY_TIMEOUT_SECONDS: positiveInt(10),
  EXPIRY_REMINDER_LEAD_TIMES: z
    .string()
    .default('48h,24h,2h')
    .transform((raw, ctx) =>
      raw
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p.length > 0)
        .map((p) => durationSeconds(p, ctx)),
    ),
  DRIFT_CHECK_INTERVALS: z
    .string()
    .default('standard=8h,professional=6h,enterprise=4h')
    .transform((raw, ctx) => driftIntervalsOf(raw, ctx))
    .describe(
      'time between drift checks of a live environment, per tier (tier=duration,...; one duration for all; 0 turns a tier off)',
    ),
  DRIFT_CHECK_CONCURRENCY: positiveInt(2).describe('drift checks (refresh-only plans) one worker runs at once'),
  DRIFT_POLICY: z
    .enum(DRIFT_POLICIES)
    .default('report')
    .describe('report: record and notify drift; repair: also apply the saved configuration again'),
  LOCAL_STACK_APPLY_DELAY_SECONDS: z.coerce.number().int().min(0).default(0),
  LOCAL_STACK_FAIL_RESOURCE: z.enum(['', 'vpc_network', 'gke_cluster', 'database_instance']).default(''),
  LOCAL_STACK_TRANSIENT_FAILURES: z.coerce.number().int().min(0).default(0),
  LOCAL_STACK_UNDELETABLE_RESOURCE: z.enum(['', 'vpc_network', 'gke_cluster', 'database_instance']).default(''),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'verbose']).default('info'),
  METRICS_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(9464)
    .describe("worker's Prometheus scrape port; 0 turns the worker's metrics off"),
  TEMPORAL_SDK_METRICS_PORT: z.coerce
    .number()
    .int()
    .min(1)
    .max(65535)
    .default(9465)
    .describe("loopback port of the Temporal SDK's own exporter, merged into the worker's /metrics"),
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .string()
    .regex(/^https?:\/\/[^/]/, 'must be an http:// or https:// URL (OTLP/HTTP)')
    .optional()
    .describe('OTLP/HTTP collector; traces are off without it'),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  CODEC_CORS_ORIGINS: z
    .string()
    .default('http://localhost:8233')
    .transform((raw) =>
      raw
        .split(',')
        .map((o) => o.trim().replace(/\/$/, ''))
        .filter((o) => o.length > 0),
    )
    .describe('origins (Temporal Web UI) allowed to call the codec endpoints from a browser'),
  CODEC_AUTH: z
    .enum(['api-key', 'none'])
    .default('api-key')
    .describe('none only for a local dev stack whose Web UI has no login'),
  ...catalogueVariables,
});

/** Environment variables the engine reads, with their defaults (the embedded dev stack's). */
export const configSchema = fields.superRefine((c, ctx) => {
  if (!c.TEMPORAL_TLS_CERT_FILE !== !c.TEMPORAL_TLS_KEY_FILE) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: [c.TEMPORAL_TLS_CERT_FILE ? 'TEMPORAL_TLS_KEY_FILE' : 'TEMPORAL_TLS_CERT_FILE'],
      message: 'mTLS needs TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE together',
    });
  }
  if (c.TOFU_STACK === 'gcp' && !c.GCP_PROJECT_ID) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['GCP_PROJECT_ID'], message: 'is required with TOFU_STACK=gcp' });
  }
  if (c.STATE_BACKEND === 'gcs' && !c.STATE_GCS_BUCKET) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['STATE_GCS_BUCKET'],
      message: 'is required with STATE_BACKEND=gcs',
    });
  }
  const jwtParts = [c.JWT_ISSUER, c.JWT_AUDIENCE, c.JWT_SECRET ?? c.JWT_JWKS_URL];
  if (jwtParts.some((p) => p !== undefined) && jwtParts.some((p) => p === undefined)) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['JWT_ISSUER'],
      message: 'JWT verification needs JWT_ISSUER, JWT_AUDIENCE and JWT_SECRET or JWT_JWKS_URL together',
    });
  }
  if (c.NOTIFY_WEBHOOK_URL && !c.NOTIFY_WEBHOOK_ALLOW_HTTP && !isHttpsOrLoopback(c.NOTIFY_WEBHOOK_URL)) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['NOTIFY_WEBHOOK_URL'],
      message: 'must be https:// (http only to a loopback host, or with NOTIFY_WEBHOOK_ALLOW_HTTP=true)',
    });
  }
  if (c.NOTIFY_WEBHOOK_URL && !c.NOTIFY_WEBHOOK_SECRET) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['NOTIFY_WEBHOOK_SECRET'],
      message: 'is required with NOTIFY_WEBHOOK_URL',
    });
  }
});

/**
 * Express's `trust proxy` from TRUST_PROXY: '' trusts no proxy (the socket's address is the
 * client), a number trusts that many hops, else a comma-separated list of addresses, subnets
 * or the names loopback, linklocal, uniquelocal. `true` (trust any sender of X-Forwarded-For)
 * would let every caller choose its own address, so it is refused.
 */
function trustProxyOf(raw: string, ctx: z.RefinementCtx): false | number | string[] {
  const value = raw.trim();
  if (value === '' || value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  if (value === 'true') {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: "true would trust any X-Forwarded-For; give the hop count or the proxies' addresses",
    });
    return false;
  }
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
  const bad = entries.filter((e) => !/^([0-9a-fA-F:.]+(\/\d{1,3})?|loopback|linklocal|uniquelocal)$/.test(e));
  if (bad.length > 0) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `"${bad[0]}" is not an address, a subnet, loopback, linklocal or uniquelocal`,
    });
  }
  return entries;
}

/** Seconds of a duration like 48h, 30m, 90s or 2d (0 alone is allowed); a bad one is an issue. */
function durationSeconds(p: string, ctx: z.RefinementCtx): number {
  if (p === '0') return 0;
  const m = /^(\d+)([smhd])$/.exec(p);
  if (!m) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${p}" is not a duration like 48h, 30m or 90s` });
  return m ? Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd'] : 0;
}

/**
 * Drift check intervals per tier in seconds, from `standard=8h,professional=6h,enterprise=4h`
 * (every tier named once) or one duration for every tier; 0 turns a tier's checks off.
 */
function driftIntervalsOf(raw: string, ctx: z.RefinementCtx): Record<PocTier, number> {
  const value = raw.trim();
  if (!value.includes('=')) {
    const seconds = durationSeconds(value, ctx);
    return { standard: seconds, professional: seconds, enterprise: seconds };
  }
  const intervals: Partial<Record<PocTier, number>> = {};
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0)) {
    const [tier = '', duration = ''] = part.split('=').map((x) => x.trim());
    if (!(POC_TIERS as readonly string[]).includes(tier)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${tier}" is not a tier (${POC_TIERS.join(', ')})` });
      continue;
    }
    intervals[tier as PocTier] = durationSeconds(duration, ctx);
  }
  const missing = POC_TIERS.filter((t) => intervals[t] === undefined);
  if (missing.length > 0 && Object.keys(intervals).length > 0)
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `names no interval for ${missing.join(', ')}` });
  return { standard: 0, professional: 0, enterprise: 0, ...intervals };
}

/**
 * Whether a webhook URL keeps the signed notifications (personal data) off the network in clear:
 * https, or http to this machine only.
 */
function isHttpsOrLoopback(raw: string): boolean {
  const url = new URL(raw);
  if (url.protocol === 'https:') return true;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return url.protocol === 'http:' && (host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host));
}

export type RawConfig = z.infer<typeof configSchema>;

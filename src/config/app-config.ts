import type { StateBackendConfig } from '../../activities/state/state-backend';
import type { ProviderSource } from '../../activities/tofu/provider-source';
import { resolve } from 'node:path';
import type { ApiKeyEntry } from '../auth/api-keys';
import type { DriftCheckSettings } from '../domain/drift';
import type { JwtVerifierOptions } from '../auth/jwt-verifier';
import type { DescriptiveCatalogue } from '../domain/request-vocabulary';
import { configSchema, type RawConfig } from './config.schema';
import { catalogueOf } from './request-catalogue';

/** Which process reads the configuration: each has variables it cannot start without. */
export type ProcessRole = 'gateway' | 'worker' | 'tool';

/** Typed configuration, read once at start. */
export interface AppConfig {
  env: RawConfig['NODE_ENV'];
  http: {
    port: number;
    /** Address to listen on (0.0.0.0 in a container, 127.0.0.1 in the dev stack). */
    host: string;
    publicBaseUrl: string;
    /** Express `trust proxy`: which proxies' X-Forwarded-For names the client address. */
    trustProxy: false | number | string[];
  };
  database: { url: string };
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    /** null: plain connection (dev server). Files are read when connecting. */
    tls: { certFile?: string; keyFile?: string; caFile?: string; serverName?: string } | null;
    /** Temporal Cloud API key (secret: never logged). */
    apiKey?: string;
  };
  auth: {
    apiKeys: ApiKeyEntry[];
    /** Service-to-service JWTs, verified when configured (HS256 secret or a JWKS URL). */
    jwt?: JwtVerifierOptions;
    rateLimitPerMinute: number;
    /** Failed authentications per client address and window before it is answered 429. */
    failedAttempts: { limit: number; windowSeconds: number };
  };
  /** Master key (32 bytes) of credentials at rest and of Temporal payloads; see src/crypto. */
  encryptionKey: Buffer;
  /** The current key first, then retired ones (ENCRYPTION_KEYS_RETIRED) that still open older data. */
  encryptionKeys: Buffer[];
  tofu: {
    binary: string;
    stack: RawConfig['TOFU_STACK'];
    /** Google Cloud project of the gcp stack. */
    projectId?: string;
    terraformDir: string;
    workspaceRoot: string;
    environmentRoot: string;
    killGraceSeconds: number;
    providers: ProviderSource;
    state: StateBackendConfig;
    /** Cloud KMS key that encrypts state and plans (else keys derived from encryptionKeys). */
    stateKmsKey?: string;
    /** Offline local stack only: make applies slow or failing. */
    simulation: {
      applyDelaySeconds: number;
      failResource: string;
      transientFailures: number;
      undeletableResource: string;
    };
  };
  notify: { webhookUrl?: string; webhookSecret?: string; timeoutSeconds: number; reminderLeadSeconds: number[] };
  worker: {
    maxConcurrentProvisions: number;
    provisioningTimeoutSeconds: number;
    retryAttempts: number;
    /** Waits between attempts of a destroy that failed: the first, then doubling up to the max. */
    destroyRetryInitialSeconds: number;
    destroyRetryMaxSeconds: number;
    /** Drift checks of live environments: seconds between them per tier (0: off), and what to do about drift (ADR 28). */
    driftCheck: DriftCheckSettings;
    /** Drift checks one worker runs at once. */
    maxConcurrentDriftChecks: number;
  };
  /** The sweep; it also purges personal fields this many days after the environment is gone (ADR 20). */
  reconciliation: { intervalSeconds: number; graceSeconds: number; personalDataRetentionDays: number };
  /** Run artifacts (plan, logs) in GCS; off when no bucket is set. */
  artifacts?: { bucket: string; emulatorEndpoint?: string };
  logLevel: RawConfig['LOG_LEVEL'];
  observability: {
    /** The worker's scrape port (0: off). */
    metricsPort: number;
    /** Loopback port where the Temporal SDK's Prometheus exporter listens (worker only). */
    sdkMetricsPort: number;
    /** OTLP/HTTP endpoint of a trace collector; undefined: tracing off. */
    otlpEndpoint?: string;
    /** service.name of spans; defaults to poc-gateway / poc-worker. */
    serviceName?: string;
  };
  /** The codec server endpoints (decoded payloads in the Temporal Web UI). */
  codec: { corsOrigins: string[]; requireApiKey: boolean };
  /** Known values of the descriptive request fields (KNOWN_*): unknown ones are accepted and logged. */
  requestCatalogue: DescriptiveCatalogue;
}

/** Thrown when configuration is invalid; lists every bad variable, not only the first. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment once and returns typed configuration, or throws ConfigError. */
export function loadConfig(env: NodeJS.ProcessEnv, role: ProcessRole): AppConfig {
  const parsed = configSchema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`);
  if (
    parsed.success &&
    role === 'gateway' &&
    parsed.data.PROVISIONING_API_KEYS.length === 0 &&
    !parsed.data.JWT_ISSUER
  ) {
    problems.push('PROVISIONING_API_KEYS: at least one API key (or JWT verification) is required to serve the API');
  }
  if (parsed.success && role !== 'tool' && !parsed.data.ENCRYPTION_KEY) {
    problems.push('ENCRYPTION_KEY: is required (32 random bytes, base64: `openssl rand -base64 32`)');
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const c = parsed.data;
  return {
    env: c.NODE_ENV,
    http: {
      port: c.PORT,
      host: c.LISTEN_HOST,
      publicBaseUrl: c.PUBLIC_BASE_URL ?? `http://localhost:${c.PORT}`,
      trustProxy: c.TRUST_PROXY,
    },
    database: { url: c.DATABASE_URL },
    temporal: {
      address: c.TEMPORAL_ADDRESS,
      namespace: c.TEMPORAL_NAMESPACE,
      taskQueue: c.TEMPORAL_TASK_QUEUE,
      tls:
        c.TEMPORAL_TLS || c.TEMPORAL_TLS_CERT_FILE || c.TEMPORAL_API_KEY
          ? {
              certFile: c.TEMPORAL_TLS_CERT_FILE,
              keyFile: c.TEMPORAL_TLS_KEY_FILE,
              caFile: c.TEMPORAL_TLS_CA_FILE,
              serverName: c.TEMPORAL_TLS_SERVER_NAME,
            }
          : null,
      apiKey: c.TEMPORAL_API_KEY,
    },
    auth: {
      apiKeys: c.PROVISIONING_API_KEYS,
      jwt:
        c.JWT_ISSUER && c.JWT_AUDIENCE
          ? {
              issuer: c.JWT_ISSUER,
              audience: c.JWT_AUDIENCE,
              secret: c.JWT_SECRET,
              jwksUrl: c.JWT_JWKS_URL,
              maxLifetimeSeconds: c.JWT_MAX_LIFETIME_SECONDS,
              clockSkewSeconds: c.JWT_CLOCK_SKEW_SECONDS,
            }
          : undefined,
      rateLimitPerMinute: c.RATE_LIMIT_PER_MINUTE,
      failedAttempts: { limit: c.AUTH_FAILURE_LIMIT, windowSeconds: c.AUTH_FAILURE_WINDOW_SECONDS },
    },
    encryptionKey: Buffer.from(c.ENCRYPTION_KEY ?? '', 'base64'),
    encryptionKeys: [c.ENCRYPTION_KEY ?? '', ...c.ENCRYPTION_KEYS_RETIRED].map((k) => Buffer.from(k, 'base64')),
    tofu: {
      binary: c.TOFU_BINARY,
      stack: c.TOFU_STACK,
      projectId: c.GCP_PROJECT_ID,
      terraformDir: c.TERRAFORM_DIR,
      workspaceRoot: c.WORKSPACE_ROOT,
      environmentRoot: c.ENVIRONMENT_ROOT,
      killGraceSeconds: c.TOFU_KILL_GRACE_SECONDS,
      providers: providerSourceOf(c),
      state:
        c.STATE_BACKEND === 'gcs'
          ? {
              kind: 'gcs',
              bucket: c.STATE_GCS_BUCKET ?? '',
              prefix: c.STATE_GCS_PREFIX,
              emulatorEndpoint: c.GCS_EMULATOR_ENDPOINT,
            }
          : { kind: 'pg', databaseUrl: c.DATABASE_URL },
      stateKmsKey: c.STATE_ENCRYPTION_KMS_KEY,
      simulation: {
        applyDelaySeconds: c.LOCAL_STACK_APPLY_DELAY_SECONDS,
        failResource: c.LOCAL_STACK_FAIL_RESOURCE,
        transientFailures: c.LOCAL_STACK_TRANSIENT_FAILURES,
        undeletableResource: c.LOCAL_STACK_UNDELETABLE_RESOURCE,
      },
    },
    notify: {
      webhookUrl: c.NOTIFY_WEBHOOK_URL,
      webhookSecret: c.NOTIFY_WEBHOOK_SECRET,
      timeoutSeconds: c.NOTIFY_TIMEOUT_SECONDS,
      reminderLeadSeconds: c.EXPIRY_REMINDER_LEAD_TIMES,
    },
    worker: {
      maxConcurrentProvisions: c.MAX_CONCURRENT_PROVISIONS,
      provisioningTimeoutSeconds: c.PROVISIONING_TIMEOUT,
      retryAttempts: c.WORKER_RETRY_ATTEMPTS,
      destroyRetryInitialSeconds: c.DESTROY_RETRY_INITIAL_SECONDS,
      destroyRetryMaxSeconds: c.DESTROY_RETRY_MAX_SECONDS,
      driftCheck: { intervalSeconds: c.DRIFT_CHECK_INTERVALS, policy: c.DRIFT_POLICY },
      maxConcurrentDriftChecks: c.DRIFT_CHECK_CONCURRENCY,
    },
    reconciliation: {
      intervalSeconds: c.RECONCILE_INTERVAL_SECONDS,
      graceSeconds: c.RECONCILE_GRACE_SECONDS,
      personalDataRetentionDays: c.PERSONAL_DATA_RETENTION_DAYS,
    },
    artifacts: c.ARTIFACTS_GCS_BUCKET
      ? { bucket: c.ARTIFACTS_GCS_BUCKET, emulatorEndpoint: c.GCS_EMULATOR_ENDPOINT }
      : undefined,
    logLevel: c.LOG_LEVEL,
    observability: {
      metricsPort: c.METRICS_PORT,
      sdkMetricsPort: c.TEMPORAL_SDK_METRICS_PORT,
      otlpEndpoint: c.OTEL_EXPORTER_OTLP_ENDPOINT,
      serviceName: c.OTEL_SERVICE_NAME,
    },
    codec: { corsOrigins: c.CODEC_CORS_ORIGINS, requireApiKey: c.CODEC_AUTH === 'api-key' },
    requestCatalogue: catalogueOf(c),
  };
}

/**
 * Where init gets providers: the configured mirror; else, for the local stack, the mirror that
 * `npm run tools` builds the local cloud's provider into (it is in no registry, ADR 25); else
 * the shared plugin cache.
 */
function providerSourceOf(c: RawConfig): ProviderSource {
  if (c.TOFU_PROVIDER_MIRROR_DIR) return { kind: 'mirror', dir: c.TOFU_PROVIDER_MIRROR_DIR };
  if (c.TOFU_STACK === 'local') return { kind: 'mirror', dir: resolve('.tools/providers') };
  return { kind: 'cache', dir: c.TOFU_PLUGIN_CACHE_DIR };
}

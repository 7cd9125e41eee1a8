import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from './app-config';
import { encryptionKeyProblem } from './config.schema';
import { TEST_ENCRYPTION_KEY } from '../../test/support/test-env';

const base = {
  DATABASE_URL: 'postgres://u:p@localhost:5432/db',
  // 32 bytes, 23 distinct values: passes the weak-key check like a random key would.
  ENCRYPTION_KEY: Buffer.from('unit-test-master-key-0123456789!').toString('base64'),
};

describe('loadConfig', () => {
  it('fills the embedded defaults when only DATABASE_URL is set', () => {
    const c = loadConfig(base, 'worker');
    expect(c.http.port).toBe(8081);
    expect(c.temporal).toMatchObject({
      address: 'localhost:7233',
      namespace: 'default',
      taskQueue: 'poc-provisioning',
      tls: null,
    });
    expect(c.worker.maxConcurrentProvisions).toBe(4);
  });

  it('lists every bad variable at once', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', MAX_CONCURRENT_PROVISIONS: '0', TOFU_STACK: 'aws' }, 'worker');
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (e) {
      const vars = (e as ConfigError).problems.map((p) => p.split(':')[0]);
      expect(vars).toEqual(expect.arrayContaining(['DATABASE_URL', 'PORT', 'MAX_CONCURRENT_PROVISIONS', 'TOFU_STACK']));
    }
  });

  it('keeps personal data 30 days after the environment is gone unless told otherwise; 0 purges at the next sweep', () => {
    expect(loadConfig(base, 'worker').reconciliation.personalDataRetentionDays).toBe(30);
    expect(
      loadConfig({ ...base, PERSONAL_DATA_RETENTION_DAYS: '0' }, 'worker').reconciliation.personalDataRetentionDays,
    ).toBe(0);
    for (const bad of ['-1', '1.5', 'forever', '3651'])
      expect(() => loadConfig({ ...base, PERSONAL_DATA_RETENTION_DAYS: bad }, 'worker')).toThrow(
        /PERSONAL_DATA_RETENTION_DAYS/,
      );
  });

  it('checks drift a few times a day per tier and only reports it unless told otherwise', () => {
    expect(loadConfig(base, 'worker').worker).toMatchObject({
      driftCheck: { intervalSeconds: { standard: 28_800, professional: 21_600, enterprise: 14_400 }, policy: 'report' },
      maxConcurrentDriftChecks: 2,
    });
    const set = (env: Record<string, string>) => loadConfig({ ...base, ...env }, 'worker').worker;
    expect(set({ DRIFT_CHECK_INTERVALS: '30s' }).driftCheck.intervalSeconds).toEqual({
      standard: 30,
      professional: 30,
      enterprise: 30,
    });
    expect(
      set({ DRIFT_CHECK_INTERVALS: 'enterprise=1h, standard=0,professional=2d', DRIFT_POLICY: 'repair' }).driftCheck,
    ).toEqual({ intervalSeconds: { standard: 0, professional: 172_800, enterprise: 3600 }, policy: 'repair' });
  });

  it('refuses a drift interval for an unknown tier, a tier left out, a bad duration or policy, naming the variable', () => {
    for (const [name, value] of [
      ['DRIFT_CHECK_INTERVALS', 'standard=1h,professional=1h,gold=1h'],
      ['DRIFT_CHECK_INTERVALS', 'standard=1h,professional=1h'],
      ['DRIFT_CHECK_INTERVALS', 'standard=1h,professional=1h,enterprise=soon'],
      ['DRIFT_CHECK_INTERVALS', 'hourly'],
      ['DRIFT_POLICY', 'ignore'],
      ['DRIFT_CHECK_CONCURRENCY', '0'],
    ])
      expect(() => loadConfig({ ...base, [name]: value }, 'worker')).toThrow(new RegExp(name));
  });

  it('bounds service JWTs to an hour with a minute of skew unless told otherwise, and refuses a skew over 300 s', () => {
    const jwt = { JWT_ISSUER: 'https://signup.example', JWT_AUDIENCE: 'poc-engine', JWT_SECRET: 's'.repeat(32) };
    expect(loadConfig({ ...base, ...jwt }, 'gateway').auth.jwt).toMatchObject({
      maxLifetimeSeconds: 3600,
      clockSkewSeconds: 60,
    });
    expect(loadConfig({ ...base, ...jwt, JWT_MAX_LIFETIME_SECONDS: '86400' }, 'gateway').auth.jwt).toMatchObject({
      maxLifetimeSeconds: 86400,
    });
    expect(() => loadConfig({ ...base, ...jwt, JWT_CLOCK_SKEW_SECONDS: '3600' }, 'gateway')).toThrow(
      /JWT_CLOCK_SKEW_SECONDS/,
    );
  });

  it.each([
    ['an https URL', 'https://signup.example/hooks', {}, true],
    ['http to 127.0.0.1', 'http://127.0.0.1:9000/hooks', {}, true],
    ['http to localhost', 'http://localhost:9000/hooks', {}, true],
    ['http to [::1]', 'http://[::1]:9000/hooks', {}, true],
    ['http to another host', 'http://signup.example/hooks', {}, false],
    ['http to a host that only starts like loopback', 'http://127.0.0.1.evil.example/hooks', {}, false],
    [
      'http to another host with NOTIFY_WEBHOOK_ALLOW_HTTP',
      'http://signup.example/hooks',
      { NOTIFY_WEBHOOK_ALLOW_HTTP: 'true' },
      true,
    ],
  ])(
    'accepts a webhook URL that is %s only when it is https, loopback or explicitly allowed',
    (_case, url, extra, ok) => {
      const load = () =>
        loadConfig({ ...base, NOTIFY_WEBHOOK_URL: url, NOTIFY_WEBHOOK_SECRET: 'w'.repeat(32), ...extra }, 'worker');
      if (ok) expect(load().notify.webhookUrl).toBe(url);
      else expect(load).toThrow(/NOTIFY_WEBHOOK_URL: must be https/);
    },
  );

  it('reads reminder lead times as seconds and requires a secret with a webhook URL', () => {
    expect(
      loadConfig({ ...base, EXPIRY_REMINDER_LEAD_TIMES: '2d, 90m,30s' }, 'worker').notify.reminderLeadSeconds,
    ).toEqual([172800, 5400, 30]);
    expect(loadConfig(base, 'worker').notify.reminderLeadSeconds).toEqual([172800, 86400, 7200]);
    expect(() => loadConfig({ ...base, EXPIRY_REMINDER_LEAD_TIMES: 'soon' }, 'worker')).toThrow(/not a duration/);
    expect(() => loadConfig({ ...base, NOTIFY_WEBHOOK_URL: 'https://signup.example/hooks' }, 'worker')).toThrow(
      /NOTIFY_WEBHOOK_SECRET: is required/,
    );
  });

  it('requires a 32-byte encryption key for the gateway and the worker', () => {
    const { ENCRYPTION_KEY: _key, ...withoutKey } = base;
    expect(() => loadConfig(withoutKey, 'worker')).toThrow(/ENCRYPTION_KEY: is required/);
    expect(() => loadConfig({ ...base, ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') }, 'gateway')).toThrow(
      /ENCRYPTION_KEY: must be 32 bytes/,
    );
    expect(loadConfig(base, 'worker').encryptionKey).toHaveLength(32);
  });

  it('refuses a weak encryption key of the right length, naming the variable and why, without quoting it', () => {
    const weak = {
      'all bytes equal': Buffer.alloc(32, 7),
      'one short pattern repeated': Buffer.from('abcd'.repeat(8)),
      'eleven distinct values': Buffer.from('0123456789a'.repeat(3).slice(0, 32)),
    };
    for (const [what, key] of Object.entries(weak)) {
      expect({ what, length: key.length }).toEqual({ what, length: 32 });
      let message = '';
      try {
        loadConfig({ ...base, ENCRYPTION_KEY: key.toString('base64') }, 'gateway');
      } catch (e) {
        message = (e as Error).message;
      }
      expect({ what, message }).toEqual({
        what,
        message: expect.stringMatching(/ENCRYPTION_KEY: is too weak: \d+ distinct byte value\(s\) in 32, at least 12/),
      });
      expect(message).not.toContain(key.toString('base64'));
    }
    expect(
      loadConfig({ ...base, ENCRYPTION_KEY: randomBytes(32).toString('base64') }, 'worker').encryptionKey,
    ).toHaveLength(32);
  });

  it('accepts the fixed test key the integration and e2e suites use', () => {
    expect(encryptionKeyProblem(TEST_ENCRYPTION_KEY)).toBeUndefined();
  });

  it('reads the observability settings with their defaults: scrape ports, tracing off, codec for the dev UI', () => {
    const c = loadConfig(base, 'worker');
    expect(c.observability).toEqual({
      metricsPort: 9464,
      sdkMetricsPort: 9465,
      otlpEndpoint: undefined,
      serviceName: undefined,
    });
    expect(c.codec).toEqual({ corsOrigins: ['http://localhost:8233'], requireApiKey: true });
    const set = loadConfig(
      {
        ...base,
        METRICS_PORT: '0',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318',
        CODEC_CORS_ORIGINS: 'https://ui.example/, http://x:1',
        CODEC_AUTH: 'none',
      },
      'worker',
    );
    expect(set.observability).toMatchObject({ metricsPort: 0, otlpEndpoint: 'http://otel:4318' });
    expect(set.codec).toEqual({ corsOrigins: ['https://ui.example', 'http://x:1'], requireApiKey: false });
  });

  it('listens on every interface and trusts no proxy unless told, and limits failed authentications', () => {
    const c = loadConfig(base, 'worker');
    expect(c.http).toMatchObject({ host: '0.0.0.0', trustProxy: false });
    expect(c.auth.failedAttempts).toEqual({ limit: 20, windowSeconds: 300 });
    const set = loadConfig(
      { ...base, LISTEN_HOST: '127.0.0.1', TRUST_PROXY: '10.0.0.0/8, loopback', AUTH_FAILURE_LIMIT: '5' },
      'worker',
    );
    expect(set.http).toMatchObject({ host: '127.0.0.1', trustProxy: ['10.0.0.0/8', 'loopback'] });
    expect(set.auth.failedAttempts.limit).toBe(5);
    expect(loadConfig({ ...base, TRUST_PROXY: '1' }, 'worker').http.trustProxy).toBe(1);
  });

  it('refuses TRUST_PROXY=true (anyone could choose their address), a bad proxy entry and a zero failure limit', () => {
    expect(() => loadConfig({ ...base, TRUST_PROXY: 'true' }, 'worker')).toThrow(/TRUST_PROXY: true would trust/);
    expect(() => loadConfig({ ...base, TRUST_PROXY: 'proxy.example' }, 'worker')).toThrow(
      /TRUST_PROXY: "proxy.example"/,
    );
    expect(() => loadConfig({ ...base, AUTH_FAILURE_LIMIT: '0' }, 'worker')).toThrow(/AUTH_FAILURE_LIMIT/);
  });

  it('refuses a tracing endpoint that is not a URL and an unknown codec auth', () => {
    expect(() =>
      loadConfig({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'otel:4318', CODEC_AUTH: 'maybe' }, 'worker'),
    ).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT[\s\S]*CODEC_AUTH/);
  });

  it('turns TLS on for a client certificate or an API key, and wants certificate and key together', () => {
    expect(loadConfig({ ...base, TEMPORAL_API_KEY: 'cloud-key' }, 'worker').temporal).toMatchObject({
      tls: {},
      apiKey: 'cloud-key',
    });
    expect(
      loadConfig({ ...base, TEMPORAL_TLS_CERT_FILE: '/tls/tls.crt', TEMPORAL_TLS_KEY_FILE: '/tls/tls.key' }, 'worker')
        .temporal.tls,
    ).toMatchObject({ certFile: '/tls/tls.crt', keyFile: '/tls/tls.key' });
    expect(() => loadConfig({ ...base, TEMPORAL_TLS_CERT_FILE: '/tls/tls.crt' }, 'worker')).toThrow(
      /TEMPORAL_TLS_KEY_FILE: mTLS needs/,
    );
  });

  it('never repeats a secret value in its error', () => {
    let message = '';
    try {
      loadConfig({ ...base, TEMPORAL_API_KEY: 'super-secret-cloud-key', TEMPORAL_TLS_CERT_FILE: '/x' }, 'worker');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/TEMPORAL_TLS_KEY_FILE/);
    expect(message).not.toContain('super-secret-cloud-key');
  });

  it('keeps the current encryption key first and the retired ones after it, refusing a malformed one', () => {
    const retired = Buffer.alloc(32, 9).toString('base64');
    const keys = loadConfig({ ...base, ENCRYPTION_KEYS_RETIRED: ` ${retired} ` }, 'worker').encryptionKeys;
    expect(keys.map((k) => k.toString('base64'))).toEqual([base.ENCRYPTION_KEY, retired]);
    expect(() => loadConfig({ ...base, ENCRYPTION_KEYS_RETIRED: 'short' }, 'worker')).toThrow(
      /ENCRYPTION_KEYS_RETIRED: every retired key must be 32 bytes/,
    );
  });
});

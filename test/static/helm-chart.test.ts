// Offline checks of the Helm chart: lint, render with each values file kept in the chart, and
// check the rendered objects against the Kubernetes schemas (kubernetes-models) and the
// engine's own rules: security context, probes, resources, secrets only by reference, and no
// environment variable the engine does not read.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ConfigMap, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { configSchema } from '../../src/config/config.schema';

const root = join(__dirname, '..', '..');
const chartDir = join(root, 'helm', 'poc-provisioning-engine');
const helm = join(root, '.tools', 'bin', 'helm');

/** The variables the engine reads (src/config/config.schema.ts). */
const ENGINE_VARIABLES = Object.keys(configSchema.innerType().shape);
/** Variables that hold secrets: they may only come from a Secret. */
const SECRET_VARIABLES = [
  'DATABASE_URL',
  'PROVISIONING_API_KEYS',
  'ENCRYPTION_KEY',
  'ENCRYPTION_KEYS_RETIRED',
  'JWT_SECRET',
  'NOTIFY_WEBHOOK_SECRET',
  'TEMPORAL_API_KEY',
];
/** The annotation that gives a Kubernetes service account a Google identity (GKE Workload Identity). */
const WORKLOAD_IDENTITY = 'iam.gke.io/gcp-service-account';

interface Validatable {
  validate(): void;
}
const MODELS: Record<string, new (data: never) => Validatable> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'networking.k8s.io/v1/Ingress': Ingress,
};
/**
 * Custom resources of GKE, Gateway API and KEDA, whose schemas kubernetes-models lacks: their
 * fields are checked one by one in helm-network-exposure-scaling.test.ts.
 */
const CUSTOM_RESOURCES = [
  'networking.gke.io/v1/ManagedCertificate',
  'cloud.google.com/v1/BackendConfig',
  'gateway.networking.k8s.io/v1/HTTPRoute',
  'networking.gke.io/v1/HealthCheckPolicy',
  'keda.sh/v1alpha1/ScaledObject',
  'keda.sh/v1alpha1/TriggerAuthentication',
];

/** The values sets CI renders: the defaults and every file in the chart's ci/ folder. */
const VALUES_SETS: Array<{ name: string; args: string[] }> = [
  { name: 'default values', args: [] },
  { name: 'ci/dev-values.yaml', args: ['-f', join(chartDir, 'ci', 'dev-values.yaml')] },
  { name: 'ci/gke-production-values.yaml', args: ['-f', join(chartDir, 'ci', 'gke-production-values.yaml')] },
  { name: 'ci/temporal-cloud-values.yaml', args: ['-f', join(chartDir, 'ci', 'temporal-cloud-values.yaml')] },
];

/** A rendered manifest: untyped JSON, as the API server receives it. */
type K8sObject = ReturnType<typeof JSON.parse>;

function runHelm(args: string[]): string {
  return execFileSync(helm, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function render(args: string[]): K8sObject[] {
  const out = runHelm(['template', 'poc', chartDir, '--namespace', 'poc-engine', ...args]);
  return parseAllDocuments(out)
    .map((doc): K8sObject => doc.toJS())
    .filter((o) => o !== null);
}

/** Helm's error output when a command fails, or '' when it succeeds. */
function helmError(args: string[]): string {
  try {
    runHelm(args);
    return '';
  } catch (err) {
    return String((err as { stderr?: string }).stderr ?? err);
  }
}

const podSpec = (o: K8sObject) => (o.kind === 'Job' || o.kind === 'Deployment' ? o.spec.template.spec : undefined);
const containersOf = (objects: K8sObject[]) =>
  objects.flatMap((o) =>
    (podSpec(o)?.containers ?? []).map((c: K8sObject) => ({ owner: `${o.kind}/${o.metadata.name}`, ...c })),
  );
const byComponent = (objects: K8sObject[], kind: string, component: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name.endsWith(`-${component}`));

describe.each(VALUES_SETS)('the chart with $name', ({ args }) => {
  let objects: K8sObject[];

  beforeAll(() => {
    objects = render(args);
  });

  it('passes helm lint --strict', () => {
    expect(helmError(['lint', '--strict', chartDir, ...args])).toBe('');
  });

  it('renders only known Kubernetes objects that validate against their schemas', () => {
    expect(objects.length).toBeGreaterThanOrEqual(8);
    const problems: string[] = [];
    for (const o of objects) {
      const Model = MODELS[`${o.apiVersion}/${o.kind}`];
      if (CUSTOM_RESOURCES.includes(`${o.apiVersion}/${o.kind}`)) continue;
      if (!Model) {
        problems.push(`${o.apiVersion}/${o.kind} ${o.metadata.name}: no schema known to this test`);
        continue;
      }
      try {
        new Model(o as never).validate();
      } catch (err) {
        problems.push(`${o.kind} ${o.metadata.name}: ${(err as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('runs gateway and worker as separate Deployments', () => {
    const commands = objects
      .filter((o) => o.kind === 'Deployment')
      .map((o) => o.spec.template.spec.containers[0].command.join(' '))
      .sort();
    expect(commands).toEqual(['node dist/src/main.js', 'node dist/src/worker/main.js']);
  });

  it('runs every container as non-root, with a read-only root filesystem and no capabilities', () => {
    for (const o of objects.filter(podSpec)) {
      expect({ owner: o.metadata.name, runAsNonRoot: podSpec(o).securityContext?.runAsNonRoot }).toEqual({
        owner: o.metadata.name,
        runAsNonRoot: true,
      });
    }
    for (const c of containersOf(objects)) {
      expect({ owner: c.owner, ...c.securityContext }).toMatchObject({
        owner: c.owner,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
    }
  });

  it('sets CPU and memory requests and limits on every container', () => {
    for (const c of containersOf(objects)) {
      const r = c.resources ?? {};
      expect({
        owner: c.owner,
        cpu: [r.requests?.cpu, r.limits?.cpu],
        memory: [r.requests?.memory, r.limits?.memory],
      }).toEqual({
        owner: c.owner,
        cpu: [expect.anything(), expect.anything()],
        memory: [expect.anything(), expect.anything()],
      });
    }
  });

  it("checks the gateway's readiness on GET /api/v1/health, its liveness on /health/live, and the worker's liveness on its metrics port", () => {
    const gateway = byComponent(objects, 'Deployment', 'gateway')!.spec.template.spec.containers[0];
    expect(gateway.readinessProbe.httpGet).toEqual({ path: '/api/v1/health', port: 'http' });
    expect(gateway.livenessProbe.httpGet).toEqual({ path: '/api/v1/health/live', port: 'http' });
    expect(gateway.ports).toContainEqual(expect.objectContaining({ name: 'http' }));
    const worker = byComponent(objects, 'Deployment', 'worker')!.spec.template.spec.containers[0];
    expect(worker.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'metrics' });
    expect(worker.ports).toContainEqual(expect.objectContaining({ name: 'metrics' }));
  });

  it('takes every secret from an existing Secret and renders no secret value', () => {
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    const configMap = objects.find((o) => o.kind === 'ConfigMap')!;
    expect(Object.keys(configMap.data).filter((k) => SECRET_VARIABLES.includes(k))).toEqual([]);
    for (const c of containersOf(objects)) {
      for (const e of (c.env ?? []) as Array<{ name: string; value?: string; valueFrom?: K8sObject }>) {
        if (SECRET_VARIABLES.includes(e.name)) {
          expect({ owner: c.owner, name: e.name, value: e.value, ref: Boolean(e.valueFrom?.secretKeyRef) }).toEqual({
            owner: c.owner,
            name: e.name,
            value: undefined,
            ref: true,
          });
        }
      }
    }
    // Nothing that looks like a credential anywhere in the manifests.
    const text = JSON.stringify(objects);
    expect(text).not.toMatch(/postgres(ql)?:\/\/[^"\s]*:[^"\s]*@/);
  });

  it('sets only environment variables that the engine reads', () => {
    const configMap = objects.find((o) => o.kind === 'ConfigMap')!;
    const names = [
      ...Object.keys(configMap.data),
      ...containersOf(objects).flatMap((c) => (c.env ?? []).map((e: { name: string }) => e.name)),
    ];
    expect([...new Set(names)].filter((n) => !ENGINE_VARIABLES.includes(n))).toEqual([]);
  });

  it('gives the gateway and the worker what each cannot start without', () => {
    const envOf = (component: string) =>
      byComponent(objects, 'Deployment', component)!.spec.template.spec.containers[0].env.map((e: K8sObject) => e.name);
    expect(envOf('gateway')).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'ENCRYPTION_KEY', 'PROVISIONING_API_KEYS']),
    );
    expect(envOf('worker')).toEqual(expect.arrayContaining(['DATABASE_URL', 'ENCRYPTION_KEY']));
    expect(envOf('worker')).not.toContain('PROVISIONING_API_KEYS');
  });

  it('gives a worker a grace period long enough to finish a tofu apply after SIGTERM', () => {
    const data = objects.find((o) => o.kind === 'ConfigMap')!.data;
    const worker = byComponent(objects, 'Deployment', 'worker')!.spec.template.spec;
    const drain = Number(data.PROVISIONING_TIMEOUT) + Number(data.TOFU_KILL_GRACE_SECONDS);
    expect(worker.terminationGracePeriodSeconds).toBeGreaterThan(drain);
    expect(worker.containers[0].lifecycle.preStop.exec.command[0]).toBe('sleep');
  });

  it('gives each Deployment a PodDisruptionBudget, and an HPA or a KEDA ScaledObject when it autoscales, that select its pods', () => {
    for (const component of ['gateway', 'worker']) {
      const deployment = byComponent(objects, 'Deployment', component)!;
      const pdb = byComponent(objects, 'PodDisruptionBudget', component)!;
      expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
      const hpa = byComponent(objects, 'HorizontalPodAutoscaler', component);
      const scaledObject = byComponent(objects, 'ScaledObject', component);
      expect(hpa && scaledObject).toBeFalsy(); // one autoscaler per Deployment
      if (hpa || scaledObject) {
        expect((hpa ?? scaledObject).spec.scaleTargetRef).toEqual({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: deployment.metadata.name,
        });
        expect(deployment.spec.replicas).toBeUndefined();
      } else {
        expect(deployment.spec.replicas).toBeGreaterThan(0);
      }
    }
  });

  it('lets a node drain evict at least one pod of each Deployment', () => {
    for (const component of ['gateway', 'worker']) {
      const deployment = byComponent(objects, 'Deployment', component)!;
      const hpa = byComponent(objects, 'HorizontalPodAutoscaler', component);
      const scaledObject = byComponent(objects, 'ScaledObject', component);
      const fewest: number = hpa
        ? hpa.spec.minReplicas
        : scaledObject
          ? scaledObject.spec.minReplicaCount
          : deployment.spec.replicas;
      const pdb = byComponent(objects, 'PodDisruptionBudget', component)!.spec;
      const evictable = 'minAvailable' in pdb ? fewest - Number(pdb.minAvailable) : Number(pdb.maxUnavailable);
      expect({ component, evictable }).toEqual({ component, evictable: expect.any(Number) });
      expect(evictable).toBeGreaterThanOrEqual(1);
    }
  });

  it('routes the gateway Service to the gateway pods only', () => {
    const service = objects.find((o) => o.kind === 'Service')!;
    const gateway = byComponent(objects, 'Deployment', 'gateway')!;
    expect(service.spec.selector).toEqual(gateway.spec.selector.matchLabels);
    expect(service.spec.ports[0].targetPort).toBe('http');
  });

  it('runs the gateway and the worker under different service accounts, only the worker’s with a Google identity', () => {
    const accountOf = (component: string) =>
      byComponent(objects, 'Deployment', component)!.spec.template.spec.serviceAccountName as string;
    const [gateway, worker] = [accountOf('gateway'), accountOf('worker')];
    expect(gateway).toEqual(expect.any(String));
    expect(worker).not.toBe(gateway);
    const accounts = objects.filter((o) => o.kind === 'ServiceAccount');
    expect(accounts.map((a) => a.metadata.name).sort()).toEqual([gateway, worker].sort());
    const annotated = accounts.filter((a) => a.metadata.annotations?.[WORKLOAD_IDENTITY]).map((a) => a.metadata.name);
    expect(annotated.filter((name) => name !== worker)).toEqual([]);
    for (const a of accounts) {
      expect({ name: a.metadata.name, automount: a.automountServiceAccountToken }).toEqual({
        name: a.metadata.name,
        automount: false,
      });
    }
  });

  it('migrates the schema in a pre-install and pre-upgrade hook with the image’s migrate script', () => {
    const job = objects.find((o) => o.kind === 'Job')!;
    expect(job.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    const container = job.spec.template.spec.containers[0];
    expect(container.command).toEqual(['node', 'dist/scripts/migrate.js']);
    expect(container.envFrom).toBeUndefined(); // the release's ConfigMap does not exist yet
    // The key, by reference, to seal personal data an older version kept in clear (ADR 20).
    expect(container.env).toEqual(
      expect.arrayContaining([
        { name: 'ENCRYPTION_KEY', valueFrom: { secretKeyRef: { name: 'poc-engine-encryption', key: 'key' } } },
      ]),
    );
    expect(job.spec.template.spec.serviceAccountName).toBeUndefined();
  });
});

describe('the chart for GKE production', () => {
  const production = VALUES_SETS[2].args;

  it('gives the worker’s service account the Google identity tofu runs as, and the gateway’s none', () => {
    const objects = render(production);
    const account = (component: string) =>
      objects.find(
        (o) =>
          o.kind === 'ServiceAccount' &&
          o.metadata.name === byComponent(objects, 'Deployment', component)!.spec.template.spec.serviceAccountName,
      )!;
    expect(account('worker').metadata.annotations?.[WORKLOAD_IDENTITY]).toBe(
      'poc-engine-worker@poc-prod.iam.gserviceaccount.com',
    );
    expect(account('gateway').metadata.annotations?.[WORKLOAD_IDENTITY]).toBeUndefined();
  });

  it('isolates the pods: the worker accepts ingress on its metrics port only (the rules: helm-network-exposure-scaling.test.ts)', () => {
    const objects = render(production);
    const worker = byComponent(objects, 'NetworkPolicy', 'worker')!;
    expect(worker.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(worker.spec.ingress.map((rule: K8sObject) => rule.ports)).toEqual([[{ port: 'metrics', protocol: 'TCP' }]]);
  });
});

describe('the chart for Temporal Cloud', () => {
  const cloud = VALUES_SETS[3].args;

  it('connects both Deployments over TLS with the client certificate mounted read-only and the API key from its Secret', () => {
    const objects = render(cloud);
    for (const component of ['gateway', 'worker']) {
      const pod = byComponent(objects, 'Deployment', component)!.spec.template.spec;
      const env = Object.fromEntries(
        pod.containers[0].env.map((e: K8sObject) => [e.name, e.value ?? e.valueFrom?.secretKeyRef]),
      );
      expect(env).toMatchObject({
        TEMPORAL_TLS: 'true',
        TEMPORAL_TLS_CERT_FILE: '/etc/temporal-tls/tls.crt',
        TEMPORAL_TLS_KEY_FILE: '/etc/temporal-tls/tls.key',
        TEMPORAL_API_KEY: { name: 'poc-engine-temporal-api-key', key: 'api-key' },
      });
      expect(pod.volumes).toContainEqual(
        expect.objectContaining({
          name: 'temporal-tls',
          secret: expect.objectContaining({ secretName: 'poc-engine-temporal-mtls' }),
        }),
      );
      expect(pod.containers[0].volumeMounts).toContainEqual({
        name: 'temporal-tls',
        mountPath: '/etc/temporal-tls',
        readOnly: true,
      });
    }
  });

  it('connects in plain text with no certificate volume by default', () => {
    const pod = byComponent(render([]), 'Deployment', 'worker')!.spec.template.spec;
    expect(pod.containers[0].env.map((e: K8sObject) => e.name)).not.toContain('TEMPORAL_TLS');
    expect(pod.volumes.map((v: K8sObject) => v.name)).not.toContain('temporal-tls');
  });
});

/** The environment of one Deployment's container: name → value, or the Secret reference. */
function envOf(objects: K8sObject[], component: string): Record<string, unknown> {
  const container = byComponent(objects, 'Deployment', component)!.spec.template.spec.containers[0];
  return Object.fromEntries(
    (container.env ?? []).map((e: K8sObject) => [e.name, e.value ?? { secretKeyRef: e.valueFrom?.secretKeyRef }]),
  );
}

describe('the chart sets engine settings from values', () => {
  const defaults = render([]);
  const setting = (
    env: string,
    set: string[],
    components: string[],
    expected: string | { secretKeyRef: { name: string; key: string } },
  ) => ({ env, set, components, expected });
  // Each row: the values set, the variable, the Deployments that must get it, and its value.
  const cases = [
    setting('ENCRYPTION_KEYS_RETIRED', ['secrets.encryptionKeysRetired.name=poc-old-keys'], ['gateway', 'worker'], {
      secretKeyRef: { name: 'poc-old-keys', key: 'keys' },
    }),
    setting(
      'JWT_ISSUER',
      [
        'config.auth.jwt.issuer=https://auth.example/',
        'config.auth.jwt.audience=poc',
        'config.auth.jwt.jwksUrl=https://auth.example/jwks',
      ],
      ['gateway'],
      'https://auth.example/',
    ),
    setting(
      'JWT_AUDIENCE',
      [
        'config.auth.jwt.issuer=https://auth.example/',
        'config.auth.jwt.audience=poc',
        'config.auth.jwt.jwksUrl=https://auth.example/jwks',
      ],
      ['gateway'],
      'poc',
    ),
    setting(
      'JWT_JWKS_URL',
      [
        'config.auth.jwt.issuer=https://auth.example/',
        'config.auth.jwt.audience=poc',
        'config.auth.jwt.jwksUrl=https://auth.example/jwks',
      ],
      ['gateway'],
      'https://auth.example/jwks',
    ),
    setting('JWT_MAX_LIFETIME_SECONDS', ['config.auth.jwt.maxLifetimeSeconds=900'], ['gateway'], '900'),
    setting('JWT_CLOCK_SKEW_SECONDS', ['config.auth.jwt.clockSkewSeconds=30'], ['gateway'], '30'),
    setting(
      'JWT_SECRET',
      [
        'config.auth.jwt.issuer=https://auth.example/',
        'config.auth.jwt.audience=poc',
        'secrets.jwtSecret.name=poc-jwt',
      ],
      ['gateway'],
      {
        secretKeyRef: { name: 'poc-jwt', key: 'secret' },
      },
    ),
    setting('RATE_LIMIT_PER_MINUTE', ['config.auth.rateLimitPerMinute=600'], ['gateway'], '600'),
    setting('AUTH_FAILURE_LIMIT', ['config.auth.failedAttempts.limit=5'], ['gateway'], '5'),
    setting('AUTH_FAILURE_WINDOW_SECONDS', ['config.auth.failedAttempts.windowSeconds=900'], ['gateway'], '900'),
    setting('TRUST_PROXY', ['config.auth.trustProxy=1'], ['gateway'], '1'),
    setting('CODEC_AUTH', ['config.codec.auth=none'], ['gateway'], 'none'),
    setting(
      'CODEC_CORS_ORIGINS',
      ['config.codec.corsOrigins={https://ui.example,https://ui2.example}'],
      ['gateway'],
      'https://ui.example,https://ui2.example',
    ),
    setting('RECONCILE_INTERVAL_SECONDS', ['config.reconcile.intervalSeconds=120'], ['worker'], '120'),
    setting('RECONCILE_GRACE_SECONDS', ['config.reconcile.graceSeconds=45'], ['worker'], '45'),
    setting('PERSONAL_DATA_RETENTION_DAYS', ['config.reconcile.personalDataRetentionDays=0'], ['worker'], '0'),
  ];

  it.each(cases)('renders $env in the $components Deployment(s) only', ({ env, set, components, expected }) => {
    const objects = render(set.flatMap((s) => ['--set', s]));
    for (const component of ['gateway', 'worker']) {
      expect({ component, value: envOf(objects, component)[env] }).toEqual({
        component,
        value: components.includes(component) ? expected : undefined,
      });
    }
    expect(objects.find((o) => o.kind === 'ConfigMap')!.data[env]).toBeUndefined();
  });

  it.each(VALUES_SETS)(
    '$name: a gateway behind an Ingress or HTTPRoute names the proxies to trust, so callers keep their own addresses',
    ({ args }) => {
      const objects = render(args);
      const exposed = objects.some((o) => o.kind === 'Ingress' || o.kind === 'HTTPRoute');
      const trustProxy = envOf(objects, 'gateway').TRUST_PROXY;
      expect({ exposed, trustsProxies: typeof trustProxy === 'string' && trustProxy !== '' }).toEqual({
        exposed,
        trustsProxies: exposed,
      });
    },
  );

  it('renders no JWT, retired-key or CORS setting until one is set, so the engine’s defaults apply', () => {
    const optional = [
      'ENCRYPTION_KEYS_RETIRED',
      'JWT_ISSUER',
      'JWT_AUDIENCE',
      'JWT_JWKS_URL',
      'JWT_SECRET',
      'CODEC_CORS_ORIGINS',
    ];
    for (const component of ['gateway', 'worker']) {
      expect({ component, set: optional.filter((name) => name in envOf(defaults, component)) }).toEqual({
        component,
        set: [],
      });
    }
  });

  it('puts the tracing endpoint in the ConfigMap both Deployments read, and nothing for it by default', () => {
    const objects = render(['--set', 'config.tracing.otlpEndpoint=http://otel.observability:4318']);
    const configMap = objects.find((o) => o.kind === 'ConfigMap')!;
    expect(configMap.data.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://otel.observability:4318');
    for (const component of ['gateway', 'worker']) {
      const container = byComponent(objects, 'Deployment', component)!.spec.template.spec.containers[0];
      expect(container.envFrom).toContainEqual({ configMapRef: { name: configMap.metadata.name } });
    }
    expect(defaults.find((o) => o.kind === 'ConfigMap')!.data.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
  });

  it('adds extraEnv and envFrom to the one component they are given for', () => {
    const objects = render([
      '--set',
      'gateway.extraEnv[0].name=OTEL_SERVICE_NAME,gateway.extraEnv[0].value=poc-gateway-eu',
      '--set',
      'worker.envFrom[0].secretRef.name=poc-worker-extra',
    ]);
    expect(envOf(objects, 'gateway').OTEL_SERVICE_NAME).toBe('poc-gateway-eu');
    expect(envOf(objects, 'worker').OTEL_SERVICE_NAME).toBeUndefined();
    const envFrom = (component: string) =>
      byComponent(objects, 'Deployment', component)!.spec.template.spec.containers[0].envFrom;
    expect(envFrom('worker')).toContainEqual({ secretRef: { name: 'poc-worker-extra' } });
    expect(envFrom('gateway')).not.toContainEqual({ secretRef: { name: 'poc-worker-extra' } });
  });
});

describe('the chart refuses', () => {
  it('values that break values.schema.json', () => {
    expect(helmError(['template', 'poc', chartDir, '--set', 'config.tofuStack=aws'])).toMatch(/tofuStack/);
    expect(helmError(['template', 'poc', chartDir, '--set', 'podSecurityContext.runAsNonRoot=false'])).toMatch(
      /runAsNonRoot/,
    );
  });

  it('a Google identity on the gateway’s service account', () => {
    expect(
      helmError([
        'template',
        'poc',
        chartDir,
        '--set',
        'gateway.serviceAccount.annotations.iam\\.gke\\.io/gcp-service-account=poc@p.iam.gserviceaccount.com',
      ]),
    ).toMatch(/gateway\/serviceAccount\/annotations/);
  });

  it('half a JWT configuration, naming what is missing', () => {
    expect(helmError(['template', 'poc', chartDir, '--set', 'config.auth.jwt.issuer=https://auth.example/'])).toMatch(
      /JWT verification needs config\.auth\.jwt\.issuer, config\.auth\.jwt\.audience/,
    );
  });

  it('a webhook URL without the Secret that signs it', () => {
    expect(
      helmError(['template', 'poc', chartDir, '--set', 'config.notify.webhookUrl=https://hooks.example.com/poc']),
    ).toMatch(/webhookSecret/);
  });
});

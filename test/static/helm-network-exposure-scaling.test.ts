// Offline checks of what the chart needs to work on GKE (issue 12, ADR 23): the NetworkPolicies
// let each pod reach what it calls (the metadata server of both GKE dataplanes, Temporal,
// Cloud SQL, Google APIs) and let Prometheus scrape; the gateway's optional Ingress or
// Gateway API route with TLS and GKE health checks; the worker's KEDA scaling on the tofu
// queue's backlog, its readiness probe and its drain. Renders with the helm binary in .tools/bin.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const root = join(__dirname, '..', '..');
const chartDir = join(root, 'helm', 'poc-provisioning-engine');
const helm = join(root, '.tools', 'bin', 'helm');
const production = ['-f', join(chartDir, 'ci', 'gke-production-values.yaml')];
const temporalCloud = ['-f', join(chartDir, 'ci', 'temporal-cloud-values.yaml')];

/** A rendered manifest: untyped JSON, as the API server receives it. */
type K8sObject = ReturnType<typeof JSON.parse>;

function render(args: string[]): K8sObject[] {
  const out = execFileSync(helm, ['template', 'poc', chartDir, '--namespace', 'poc-engine', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return parseAllDocuments(out)
    .map((doc): K8sObject => doc.toJS())
    .filter((o) => o !== null);
}

const set = (...pairs: string[]) => pairs.flatMap((p) => ['--set', p]);
const ofKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
const policyOf = (objects: K8sObject[], component: string) =>
  objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name.endsWith(`-${component}`))!;
const deploymentOf = (objects: K8sObject[], component: string) =>
  objects.find((o) => o.kind === 'Deployment' && o.metadata.name.endsWith(`-${component}`))!;

interface Rule {
  ports?: Array<{ port: number | string; protocol?: string }>;
  to?: K8sObject[];
  from?: K8sObject[];
}

/** The egress rules that open `port`, each as its destinations ('any' when unrestricted). */
function egressTo(policy: K8sObject, port: number): Array<K8sObject[] | 'any'> {
  return (policy.spec.egress as Rule[])
    .filter((r) => (r.ports ?? []).some((p) => p.port === port))
    .map((r) => r.to ?? 'any');
}
const cidrsOf = (destinations: Array<K8sObject[] | 'any'>) =>
  destinations.flatMap((d) => (d === 'any' ? ['any'] : d.map((peer) => peer.ipBlock?.cidr ?? 'peer')));

describe('the NetworkPolicies', () => {
  describe('with the default values', () => {
    const objects = render([]);

    it('let the worker reach the GKE metadata server on both dataplanes, and the gateway not at all', () => {
      const worker = policyOf(objects, 'worker');
      expect(cidrsOf(egressTo(worker, 80))).toEqual(['169.254.169.254/32']);
      expect(cidrsOf(egressTo(worker, 988))).toEqual(['169.254.169.252/32']);
      const gateway = policyOf(objects, 'gateway');
      expect(egressTo(gateway, 80)).toEqual([]);
      expect(egressTo(gateway, 988)).toEqual([]);
    });

    it('let both pods resolve names and reach Temporal, Postgres and HTTPS anywhere', () => {
      for (const component of ['gateway', 'worker']) {
        const policy = policyOf(objects, component);
        const dns = (policy.spec.egress as Rule[]).find((r) => r.ports?.some((p) => p.port === 53))!;
        expect({ component, dns: dns.ports }).toEqual({
          component,
          dns: [
            { port: 53, protocol: 'UDP' },
            { port: 53, protocol: 'TCP' },
          ],
        });
        for (const port of [7233, 5432, 443]) {
          expect({ component, port, to: egressTo(policy, port) }).toEqual({ component, port, to: ['any'] });
        }
      }
    });

    it('accept no ingress on the worker until a scraper is named', () => {
      expect(policyOf(objects, 'worker').spec.ingress).toEqual([]);
    });

    it('render no NetworkPolicy when they are turned off', () => {
      expect(ofKind(render(set('networkPolicy.enabled=false')), 'NetworkPolicy')).toEqual([]);
    });

    it('leave the metadata server closed when gkeMetadataServer is off (outside GKE)', () => {
      const worker = policyOf(render(set('networkPolicy.egress.gkeMetadataServer=false')), 'worker');
      expect([...egressTo(worker, 80), ...egressTo(worker, 988)]).toEqual([]);
    });
  });

  describe('with the GKE production values', () => {
    const objects = render(production);
    const [gateway, worker] = [policyOf(objects, 'gateway'), policyOf(objects, 'worker')];

    it('let the worker reach the metadata server of both GKE dataplanes', () => {
      expect(cidrsOf(egressTo(worker, 80))).toEqual(['169.254.169.254/32']);
      expect(cidrsOf(egressTo(worker, 988))).toEqual(['169.254.169.252/32']);
    });

    it('reach Cloud SQL only in its private range and Temporal only at its frontend pods', () => {
      for (const policy of [gateway, worker]) {
        expect(cidrsOf(egressTo(policy, 5432))).toEqual(['10.20.0.0/24']);
        expect(egressTo(policy, 7233)).toEqual([
          [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'temporal' } },
              podSelector: { matchLabels: { 'app.kubernetes.io/component': 'frontend' } },
            },
          ],
        ]);
      }
    });

    it('reach Google APIs through private.googleapis.com from the worker only, and HTTPS only where listed', () => {
      expect(cidrsOf(egressTo(worker, 443)).sort()).toEqual(['199.36.153.8/30', '203.0.113.0/24']);
      expect(cidrsOf(egressTo(gateway, 443))).toEqual(['203.0.113.0/24']);
      expect(cidrsOf([...egressTo(gateway, 443), ...egressTo(worker, 443)])).not.toContain('any');
    });

    it('reach the OTLP collector of config.tracing.otlpEndpoint (port 4318 in the observability namespace)', () => {
      for (const policy of [gateway, worker]) {
        expect(egressTo(policy, 4318)).toEqual([
          [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }],
        ]);
      }
    });

    it('open no port to any address but DNS', () => {
      for (const policy of [gateway, worker]) {
        const open = (policy.spec.egress as Rule[])
          .filter((r) => !r.to)
          .flatMap((r) => (r.ports ?? []).map((p) => p.port));
        expect({ policy: policy.metadata.name, open }).toEqual({ policy: policy.metadata.name, open: [53, 53] });
      }
    });

    it('let Prometheus scrape the worker’s metrics port and the gateway’s API port, and nothing else in', () => {
      const prometheus = [
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gmp-system' } } },
      ];
      expect(worker.spec.ingress).toEqual([{ ports: [{ port: 'metrics', protocol: 'TCP' }], from: prometheus }]);
      expect(gateway.spec.ingress).toContainEqual({ ports: [{ port: 'http', protocol: 'TCP' }], from: prometheus });
      const workerPorts = deploymentOf(objects, 'worker').spec.template.spec.containers[0].ports;
      expect(workerPorts).toContainEqual(expect.objectContaining({ name: 'metrics' }));
      // Every ingress rule names its sources: the gateway is not open to any address.
      for (const rule of gateway.spec.ingress as Rule[]) expect(rule.from?.length).toBeGreaterThan(0);
    });
  });

  it('keep the defaults’ open destinations for Temporal Cloud, whose frontend has public addresses', () => {
    const worker = policyOf(render(temporalCloud), 'worker');
    expect(egressTo(worker, 7233)).toEqual(['any']);
  });
});

/** Helm's error output when rendering fails, or '' when it succeeds. */
function renderError(args: string[]): string {
  try {
    render(args);
    return '';
  } catch (err) {
    return String((err as { stderr?: string }).stderr ?? err);
  }
}

describe('the gateway’s exposure', () => {
  const readinessPath = (objects: K8sObject[]) =>
    deploymentOf(objects, 'gateway').spec.template.spec.containers[0].readinessProbe.httpGet.path as string;
  const ingressKinds = ['Ingress', 'ManagedCertificate', 'BackendConfig', 'HTTPRoute', 'HealthCheckPolicy'];

  it('is off by default: no Ingress, route, certificate or health check policy, and no GKE annotation on the Service', () => {
    const objects = render([]);
    expect(objects.filter((o) => ingressKinds.includes(o.kind)).map((o) => o.kind)).toEqual([]);
    expect(ofKind(objects, 'Service')[0].metadata.annotations).toBeUndefined();
  });

  describe('through a GKE Ingress (production values)', () => {
    const objects = render(production);
    const ingress = ofKind(objects, 'Ingress')[0];
    const service = ofKind(objects, 'Service')[0];

    it('routes the host of the public base URL to the gateway Service over HTTPS only', () => {
      expect(ingress.metadata.annotations['kubernetes.io/ingress.class']).toBe('gce');
      expect(ingress.spec.ingressClassName).toBeUndefined();
      expect(ingress.spec.rules).toEqual([
        {
          host: 'poc-engine.example.com',
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: service.metadata.name, port: { name: 'http' } } },
              },
            ],
          },
        },
      ]);
      const configMap = ofKind(objects, 'ConfigMap')[0];
      expect(new URL(configMap.data.PUBLIC_BASE_URL).host).toBe('poc-engine.example.com');
      expect(ingress.metadata.annotations['kubernetes.io/ingress.allow-http']).toBe('false');
      expect(ingress.metadata.annotations['kubernetes.io/ingress.global-static-ip-name']).toBe('poc-engine-ip');
    });

    it('takes its TLS certificate from a ManagedCertificate for that host', () => {
      const certificate = ofKind(objects, 'ManagedCertificate')[0];
      expect(certificate.apiVersion).toBe('networking.gke.io/v1');
      expect(certificate.spec.domains).toEqual(['poc-engine.example.com']);
      expect(ingress.metadata.annotations['networking.gke.io/managed-certificates']).toBe(certificate.metadata.name);
    });

    it('health-checks each gateway pod on its port and readiness path through the Service’s BackendConfig and NEGs', () => {
      const backendConfig = ofKind(objects, 'BackendConfig')[0];
      expect(backendConfig.apiVersion).toBe('cloud.google.com/v1');
      const port = deploymentOf(objects, 'gateway').spec.template.spec.containers[0].ports[0].containerPort;
      expect(backendConfig.spec.healthCheck).toMatchObject({ type: 'HTTP', requestPath: readinessPath(objects), port });
      expect(readinessPath(objects)).toBe('/api/v1/health');
      expect(service.metadata.annotations).toEqual({
        'cloud.google.com/neg': '{"ingress": true}',
        'cloud.google.com/backend-config': JSON.stringify({ default: backendConfig.metadata.name }).replace(':', ': '),
      });
    });

    it('lets Google’s health checkers and front ends through the gateway’s NetworkPolicy', () => {
      const from = (policyOf(objects, 'gateway').spec.ingress as Rule[]).flatMap((r) => r.from ?? []);
      expect(from).toEqual(
        expect.arrayContaining([{ ipBlock: { cidr: '35.191.0.0/16' } }, { ipBlock: { cidr: '130.211.0.0/22' } }]),
      );
    });
  });

  it('takes a cert-manager certificate into the TLS Secret it names, instead of a ManagedCertificate', () => {
    const objects = render(
      set(
        'gateway.ingress.enabled=true',
        'gateway.ingress.host=api.example.com',
        'gateway.ingress.tls.mode=certManager',
        'gateway.ingress.tls.clusterIssuer=letsencrypt',
        'gateway.ingress.tls.secretName=poc-api-tls',
      ),
    );
    const ingress = ofKind(objects, 'Ingress')[0];
    expect(ingress.metadata.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt');
    expect(ingress.spec.tls).toEqual([{ hosts: ['api.example.com'], secretName: 'poc-api-tls' }]);
    expect(ofKind(objects, 'ManagedCertificate')).toEqual([]);
  });

  it('refuses an Ingress without a host, or a certificate mode without its Secret or issuer', () => {
    expect(renderError(set('gateway.ingress.enabled=true'))).toMatch(/gateway\.ingress\.host/);
    expect(
      renderError(
        set('gateway.ingress.enabled=true', 'gateway.ingress.host=a.example', 'gateway.ingress.tls.mode=secret'),
      ),
    ).toMatch(/gateway\.ingress\.tls\.secretName/);
    expect(
      renderError(
        set(
          'gateway.ingress.enabled=true',
          'gateway.ingress.host=a.example',
          'gateway.ingress.tls.mode=certManager',
          'gateway.ingress.tls.secretName=s',
        ),
      ),
    ).toMatch(/gateway\.ingress\.tls\.clusterIssuer/);
    expect(renderError(set('gateway.ingress.tls.mode=letsencrypt'))).toMatch(/mode/);
  });

  describe('through a Gateway API route (Temporal Cloud values)', () => {
    const objects = render(temporalCloud);
    const service = ofKind(objects, 'Service')[0];

    it('attaches to the Gateway’s HTTPS listener for the API’s host and sends everything to the gateway Service', () => {
      const route = ofKind(objects, 'HTTPRoute')[0];
      expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
      expect(route.spec.parentRefs).toEqual([
        { name: 'external-https', namespace: 'gateway-infra', sectionName: 'https' },
      ]);
      expect(route.spec.hostnames).toEqual(['poc-engine.example.com']);
      expect(route.spec.rules).toEqual([
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          backendRefs: [{ name: service.metadata.name, port: service.spec.ports[0].port }],
        },
      ]);
    });

    it('health-checks the gateway pods on their port and readiness path through a HealthCheckPolicy on the Service', () => {
      const policy = ofKind(objects, 'HealthCheckPolicy')[0];
      expect(policy.apiVersion).toBe('networking.gke.io/v1');
      expect(policy.spec.targetRef).toEqual({ group: '', kind: 'Service', name: service.metadata.name });
      expect(policy.spec.default.config).toEqual({
        type: 'HTTP',
        httpHealthCheck: { portSpecification: 'USE_FIXED_PORT', port: 8081, requestPath: readinessPath(objects) },
      });
      expect(ofKind(objects, 'Ingress')).toEqual([]);
    });

    it('follows a changed readiness path, and refuses a route without a Gateway', () => {
      const objects = render([...temporalCloud, ...set('gateway.readinessProbe.httpGet.path=/api/v1/health/ready')]);
      expect(ofKind(objects, 'HealthCheckPolicy')[0].spec.default.config.httpHealthCheck.requestPath).toBe(
        '/api/v1/health/ready',
      );
      expect(renderError(set('gateway.httpRoute.enabled=true'))).toMatch(/parentRefs/);
    });
  });
});

describe('the worker’s scaling, readiness and drain', () => {
  const scaledObjectOf = (objects: K8sObject[]) => ofKind(objects, 'ScaledObject')[0];
  const hpaOf = (objects: K8sObject[], component: string) =>
    objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name.endsWith(`-${component}`));
  const triggerOf = (scaledObject: K8sObject, type: string) =>
    (scaledObject.spec.triggers as K8sObject[]).find((t) => t.type === type);
  const configOf = (objects: K8sObject[]) => ofKind(objects, 'ConfigMap')[0].data as Record<string, string>;

  it('scales on CPU with an HPA by default, and with no KEDA object', () => {
    const objects = render([]);
    expect(hpaOf(objects, 'worker')!.spec.metrics[0].resource.name).toBe('cpu');
    expect(ofKind(objects, 'ScaledObject')).toEqual([]);
    expect(ofKind(objects, 'TriggerAuthentication')).toEqual([]);
  });

  describe('with the GKE production values (KEDA)', () => {
    const objects = render(production);
    const scaledObject = scaledObjectOf(objects);
    const config = configOf(objects);
    const tofuQueue = `${config.TEMPORAL_TASK_QUEUE}-tofu`;

    it('replaces the worker’s CPU HPA with a ScaledObject on the worker Deployment (the gateway keeps its HPA)', () => {
      expect(hpaOf(objects, 'worker')).toBeUndefined();
      expect(hpaOf(objects, 'gateway')).toBeDefined();
      expect(scaledObject.apiVersion).toBe('keda.sh/v1alpha1');
      expect(scaledObject.spec.scaleTargetRef).toEqual({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: deploymentOf(objects, 'worker').metadata.name,
      });
      expect([scaledObject.spec.minReplicaCount, scaledObject.spec.maxReplicaCount]).toEqual([3, 12]);
      expect(deploymentOf(objects, 'worker').spec.replicas).toBeUndefined();
    });

    it('reads the backlog of the tofu task queue’s activities from the workers’ Temporal frontend and namespace', () => {
      expect(triggerOf(scaledObject, 'temporal')).toEqual({
        type: 'temporal',
        name: 'backlog',
        metadata: {
          endpoint: config.TEMPORAL_ADDRESS,
          namespace: config.TEMPORAL_NAMESPACE,
          taskQueue: tofuQueue,
          queueTypes: 'activity',
          targetQueueSize: config.MAX_CONCURRENT_PROVISIONS,
          activationTargetQueueSize: '0',
        },
      });
      expect(tofuQueue).toBe('poc-provisioning-tofu');
    });

    it('adds the tofu steps running now (the SDK’s slots in use on that queue) and aims at maxConcurrentProvisions per pod', () => {
      const running = triggerOf(scaledObject, 'prometheus')!;
      expect(running.name).toBe('running');
      expect(running.metadata.serverAddress).toBe('http://prometheus-operated.monitoring.svc.cluster.local:9090');
      expect(running.metadata.query).toBe(
        `sum(temporal_worker_task_slots_used{task_queue="${tofuQueue}",worker_type="ActivityWorker"}) or vector(0)`,
      );
      expect(scaledObject.spec.advanced.scalingModifiers).toEqual({
        formula: 'backlog + running',
        target: config.MAX_CONCURRENT_PROVISIONS,
        activationTarget: '0',
        metricType: 'AverageValue',
      });
    });

    it('scales in one worker at a time, slowly, since each one drains', () => {
      const scaleDown = scaledObject.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown;
      expect(scaleDown.stabilizationWindowSeconds).toBe(1800);
      expect(scaleDown.policies).toEqual([{ type: 'Pods', value: 1, periodSeconds: 300 }]);
    });

    it('needs no Temporal credentials for the in-cluster frontend', () => {
      expect(ofKind(objects, 'TriggerAuthentication')).toEqual([]);
      expect(triggerOf(scaledObject, 'temporal')!.authenticationRef).toBeUndefined();
    });
  });

  it('connects KEDA to Temporal Cloud with the workers’ own API key and client certificate Secrets', () => {
    const objects = render([...temporalCloud, ...set('worker.autoscaling.scaler=keda')]);
    const auth = ofKind(objects, 'TriggerAuthentication')[0];
    expect(auth.spec.secretTargetRef).toEqual([
      { parameter: 'apiKey', name: 'poc-engine-temporal-api-key', key: 'api-key' },
      { parameter: 'cert', name: 'poc-engine-temporal-mtls', key: 'tls.crt' },
      { parameter: 'key', name: 'poc-engine-temporal-mtls', key: 'tls.key' },
    ]);
    const trigger = triggerOf(scaledObjectOf(objects), 'temporal')!;
    expect(trigger.authenticationRef).toEqual({ name: auth.metadata.name });
    expect(trigger.metadata).toMatchObject({ endpoint: 'poc-prod.a1b2c.tmprl.cloud:7233', enableTLS: 'true' });
    // Without Prometheus, the backlog alone drives it: no formula over a missing trigger.
    expect(triggerOf(scaledObjectOf(objects), 'prometheus')).toBeUndefined();
    expect(scaledObjectOf(objects).spec.advanced.scalingModifiers).toBeUndefined();
  });

  it('refuses a scaler it does not know', () => {
    expect(renderError(set('worker.autoscaling.scaler=memory'))).toMatch(/scaler/);
  });

  it.each([
    ['default values', []],
    ['ci/gke-production-values.yaml', production],
  ])('probes the worker’s readiness on /health/ready of its metrics port (%s)', (_name, args) => {
    const container = deploymentOf(render(args), 'worker').spec.template.spec.containers[0];
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'metrics' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'metrics' });
  });

  it('gives a draining worker longer than its longest tofu step, the kill grace and the preStop sleep', () => {
    const objects = render(production);
    const config = configOf(objects);
    const pod = deploymentOf(objects, 'worker').spec.template.spec;
    const preStop = Number(pod.containers[0].lifecycle.preStop.exec.command[1]);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(
      Number(config.PROVISIONING_TIMEOUT) + Number(config.TOFU_KILL_GRACE_SECONDS) + preStop,
    );
  });
});

// Every manifest the chart renders, for the defaults and every values file in its ci/ folder,
// validated by kubeconform against strict schemas: a field the Kubernetes API (or the CRD) does
// not define is an error, as is a kind without a schema. The schemas are generated offline by
// `npm run tools` (scripts/kube-schemas.mjs) from the Kubernetes OpenAPI document and the CRDs
// in their Go modules.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { renderText, repoRoot, toolsBin, valuesSets } from '../support/chart';

/** Where scripts/kube-schemas.mjs puts the schemas (it says so itself). */
const { dir: kubeSchemaDir, location: kubeSchemaLocation } = JSON.parse(
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'kube-schemas.mjs'), '--location'], { encoding: 'utf8' }),
) as { dir: string; location: string };

const kubeconform = join(toolsBin, 'kubeconform');

interface Verdict {
  status: number | null;
  summary: { valid: number; invalid: number; errors: number; skipped: number };
  problems: string[];
}

/** kubeconform -strict over YAML text on stdin. */
function validate(yamlText: string): Verdict {
  const res = spawnSync(
    kubeconform,
    ['-strict', '-summary', '-output', 'json', '-n', '2', '-schema-location', kubeSchemaLocation, '-'],
    { input: yamlText, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const report = JSON.parse(res.stdout || '{}') as {
    resources?: Array<{ kind: string; name: string; status: string; msg: string }>;
    summary?: Verdict['summary'];
  };
  return {
    status: res.status,
    summary: report.summary ?? { valid: 0, invalid: 0, errors: 1, skipped: 0 },
    problems: [
      ...(report.resources ?? []).filter((r) => r.status !== 'statusValid').map((r) => `${r.kind} ${r.name}: ${r.msg}`),
      ...(res.stderr ? [res.stderr] : []),
    ],
  };
}

const documents = (text: string) => text.split(/^---$/m).filter((d) => /^kind:/m.test(d)).length;

/** Every optional object of the chart switched on, so that their schemas are checked too. */
const EVERYTHING_ON = [
  '--set',
  'monitoring.serviceMonitor.enabled=true,monitoring.prometheusRule.enabled=true,monitoring.grafanaDashboard.enabled=true',
];

beforeAll(() => {
  for (const needed of [kubeconform, join(kubeSchemaDir, '.sources.json')]) {
    if (!existsSync(needed)) throw new Error(`${needed} is missing: run \`npm run tools\``);
  }
});

describe.each([
  ...valuesSets(),
  ...valuesSets().map((v) => ({ name: `${v.name} with monitoring on`, args: [...v.args, ...EVERYTHING_ON] })),
])('the manifests rendered with $name', ({ args }) => {
  it('all pass kubeconform -strict against the Kubernetes and CRD schemas', () => {
    const text = renderText(args);
    const verdict = validate(text);
    expect(verdict.problems).toEqual([]);
    expect(verdict.summary).toEqual({ valid: documents(text), invalid: 0, errors: 0, skipped: 0 });
    expect(verdict.status).toBe(0);
  });
});

describe('the strict manifest check', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'bad' },
    spec: {
      selector: { matchLabels: { app: 'bad' } },
      template: {
        metadata: { labels: { app: 'bad' } },
        spec: { containers: [{ name: 'c', image: 'busybox', imagePullPolcy: 'Always' }] },
      },
    },
  };

  it('refuses a field Kubernetes does not define, naming it', () => {
    const verdict = validate(stringify(deployment));
    expect(verdict.summary.invalid).toBe(1);
    expect(verdict.problems.join('\n')).toMatch(/imagePullPolcy/);
    expect(verdict.status).not.toBe(0);
  });

  it('accepts the same Deployment once the field is spelled right', () => {
    const container = { name: 'c', image: 'busybox', imagePullPolicy: 'Always', ports: [{ containerPort: 80 }] };
    const good = {
      ...deployment,
      spec: { ...deployment.spec, template: { ...deployment.spec.template, spec: { containers: [container] } } },
    };
    expect(validate(stringify(good))).toEqual({
      status: 0,
      summary: { valid: 1, invalid: 0, errors: 0, skipped: 0 },
      problems: [],
    });
  });

  it.each([
    [
      'monitoring.coreos.com/v1',
      'ServiceMonitor',
      { selector: {}, endpoints: [{ port: 'http', intervall: '30s' }] },
      'intervall',
    ],
    [
      'keda.sh/v1alpha1',
      'ScaledObject',
      { scaleTargetRef: { name: 'w' }, triggers: [], pollingInterval: 5, minReplicas: 1, maxReplica: 3 },
      'maxReplica',
    ],
    [
      'gateway.networking.k8s.io/v1',
      'HTTPRoute',
      { parentRefs: [{ name: 'gw' }], hostname: 'x.example.com' },
      'hostname',
    ],
    [
      'cert-manager.io/v1',
      'Certificate',
      { secretName: 's', dnsNames: ['x.example.com'], issuerRef: { name: 'i', kinds: 'Issuer' } },
      'kinds',
    ],
    ['networking.gke.io/v1', 'ManagedCertificate', { domains: ['x.example.com'], domain: 'x' }, 'domain'],
    [
      'networking.gke.io/v1',
      'HealthCheckPolicy',
      { targetRef: { kind: 'Service', name: 'g' }, default: { checkInterval: 5 } },
      'checkInterval',
    ],
    ['cloud.google.com/v1', 'BackendConfig', { healthCheck: { requestPath: '/api/v1/health', path: '/' } }, 'path'],
  ])('refuses an unknown field in a %s %s', (apiVersion, kind, spec, field) => {
    const verdict = validate(stringify({ apiVersion, kind, metadata: { name: 'bad' }, spec }));
    expect(verdict.summary.invalid).toBe(1);
    expect(verdict.problems.join('\n')).toContain(`'${field}'`);
  });

  it('refuses a kind it has no schema for, rather than skipping it', () => {
    const verdict = validate(stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }));
    expect(verdict.summary.valid).toBe(0);
    expect(verdict.status).not.toBe(0);
  });
});

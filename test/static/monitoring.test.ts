// The chart's monitoring as users install it: the prometheus-operator scrape objects, the
// PrometheusRule and the Grafana dashboard. Every metric an alert or a dashboard query reads must
// be one the engine exports: the list comes from the engine's own registries (the gateway's and
// the worker's), not from this file. The rules also pass `promtool check rules` and the unit
// tests in test/static/prometheus/alerts.test.yaml (promtool from `npm run tools`).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { stringify } from 'yaml';
import { GatewayMetrics } from '../../src/metrics/gateway-metrics';
import { WorkerMetrics } from '../../src/worker/worker-metrics';
import { chartDir, renderObjects, repoRoot, toolsBin, type K8sObject } from '../support/chart';
import { metricNames } from '../support/promql-names';

const ALL_ON = [
  '--set',
  'monitoring.serviceMonitor.enabled=true,monitoring.prometheusRule.enabled=true,monitoring.grafanaDashboard.enabled=true',
];
/** The alerts issue 12 asks for, by what they watch. */
const REQUIRED_ALERTS = [
  'PocJobStuck', // jobs stuck in a state past a bound
  'PocDestroyFailed',
  'PocDestroyIncomplete', // issue 13: the proof of deletion found resources left
  'PocEnvironmentPastExpiry',
  'PocReconciliationFindings',
  'PocWebhookFailing',
  'PocWorkerPollersAbsent',
];

/** Every series name the engine exports, read from the registries the processes build. */
async function exportedSeries(): Promise<Set<string>> {
  // No read model and no Temporal in a static test: the gauges exist, empty.
  const gateway = new GatewayMetrics(
    () => Promise.reject(new Error('no read model here')),
    () => Promise.reject(new Error('no Temporal here')),
  );
  const worker = new WorkerMetrics(new Registry(), () => Promise.resolve(null));
  const names = new Set<string>();
  for (const registry of [gateway.registry, worker.registry]) {
    for (const m of await registry.getMetricsAsJSON()) {
      // prom-client types `type` as an enum; at run time it is the exposition's type word.
      const type = String(m.type);
      const suffixes =
        type === 'histogram' ? ['_bucket', '_sum', '_count'] : type === 'summary' ? ['', '_sum', '_count'] : [''];
      for (const s of suffixes) names.add(`${m.name}${s}`);
    }
  }
  return names;
}

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const find = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
const rulesOf = (objects: K8sObject[]): Rule[] =>
  find(objects, 'PrometheusRule').flatMap((r) => r.spec.groups.flatMap((g: { rules: Rule[] }) => g.rules));

function dashboardQueries(dashboard: K8sObject): string[] {
  const panels = (dashboard.panels as K8sObject[]).flatMap((p) => [p, ...(p.panels ?? [])]);
  const targets = panels.flatMap((p) => (p.targets ?? []).map((t: { expr: string }) => t.expr));
  const variables = (dashboard.templating?.list ?? [])
    .filter((v: K8sObject) => v.type === 'query')
    .map((v: K8sObject) => (typeof v.query === 'string' ? v.query : v.query.query));
  return [...targets, ...variables];
}

describe('the chart’s monitoring', () => {
  let exported: Set<string>;
  let objects: K8sObject[];

  beforeAll(async () => {
    exported = await exportedSeries();
    objects = renderObjects(ALL_ON);
  });

  it('finds metric names in PromQL, ignoring functions, labels, grouping, ranges and variables', () => {
    expect(
      metricNames(
        'histogram_quantile(0.9, sum by (le, tier) (rate(poc_x_bucket{tier=~"$tier",a="b(c)"}[$__rate_interval]))) / on (tier) group_left max(poc_y) > 1e3 and time() - poc_z offset 5m',
      ).sort(),
    ).toEqual(['poc_x_bucket', 'poc_y', 'poc_z']);
    expect(metricNames('label_values(poc_environments_live, tier)')).toEqual(['poc_environments_live']);
  });

  it('reads the engine’s metric names from its registries, so that an unknown name is caught', () => {
    expect(exported).toContain('poc_jobs_submitted_total');
    expect(exported).toContain('poc_provisioning_duration_seconds_bucket');
    expect(exported).toContain('poc_task_queue_pollers');
    expect(metricNames('max(poc_jobs_stuck_total) > 0').filter((n) => !exported.has(n))).toEqual([
      'poc_jobs_stuck_total',
    ]);
  });

  it('passes helm lint --strict with every monitoring object on', () => {
    expect(() =>
      execFileSync(join(toolsBin, 'helm'), ['lint', '--strict', chartDir, ...ALL_ON], { stdio: 'pipe' }),
    ).not.toThrow();
  });

  it('renders no monitoring object by default', () => {
    const defaults = renderObjects([]);
    expect(defaults.filter((o) => o.apiVersion.startsWith('monitoring.coreos.com/'))).toEqual([]);
    expect(defaults.filter((o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('-dashboard'))).toEqual([]);
  });

  it('scrapes the gateway through its Service at /api/v1/metrics and the worker pods on their metrics port', () => {
    const [serviceMonitor] = find(objects, 'ServiceMonitor');
    const service = find(objects, 'Service').find((s) => s.metadata.name.endsWith('-gateway'))!;
    expect(service.metadata.labels).toMatchObject(serviceMonitor.spec.selector.matchLabels);
    expect(serviceMonitor.spec.namespaceSelector.matchNames).toEqual(['poc-engine']);
    expect(serviceMonitor.spec.endpoints).toEqual([
      expect.objectContaining({ port: service.spec.ports[0].name, path: '/api/v1/metrics' }),
    ]);

    const [podMonitor] = find(objects, 'PodMonitor');
    const worker = find(objects, 'Deployment').find((d) => d.metadata.name.endsWith('-worker'))!;
    expect(worker.spec.template.metadata.labels).toMatchObject(podMonitor.spec.selector.matchLabels);
    const gatewayPods = find(objects, 'Deployment').find((d) => d.metadata.name.endsWith('-gateway'))!;
    expect(gatewayPods.spec.template.metadata.labels).not.toMatchObject(podMonitor.spec.selector.matchLabels);
    const port = podMonitor.spec.podMetricsEndpoints[0].port;
    expect(worker.spec.template.spec.containers[0].ports).toContainEqual(expect.objectContaining({ name: port }));
    expect(podMonitor.spec.podMetricsEndpoints[0].path).toBe('/metrics');
  });

  it('alerts on stuck jobs, failed destroys, expired environments, sweep findings, webhook failures and absent pollers', () => {
    const alerts = rulesOf(objects).map((r) => r.alert);
    expect(alerts).toEqual(expect.arrayContaining(REQUIRED_ALERTS));
  });

  it('reads in every alert only metrics the engine exports', () => {
    const rules = rulesOf(objects);
    expect(rules.length).toBeGreaterThanOrEqual(REQUIRED_ALERTS.length);
    for (const rule of rules) {
      const names = metricNames(rule.expr);
      expect({ alert: rule.alert, names: names.length > 0 }).toEqual({ alert: rule.alert, names: true });
      expect({ alert: rule.alert, unknown: names.filter((n) => !exported.has(n)) }).toEqual({
        alert: rule.alert,
        unknown: [],
      });
    }
  });

  it('gives every alert a severity, a summary and a description, and a runbook entry in docs/operations.md', () => {
    const runbook = readFileSync(join(repoRoot, 'docs', 'operations.md'), 'utf8');
    for (const rule of rulesOf(objects)) {
      expect({ alert: rule.alert, severity: rule.labels?.severity }).toEqual({
        alert: rule.alert,
        severity: expect.stringMatching(/^(warning|critical)$/),
      });
      expect(Object.keys(rule.annotations ?? {}).sort()).toEqual(['description', 'summary']);
      expect({ alert: rule.alert, inRunbook: runbook.includes(`#### ${rule.alert}`) }).toEqual({
        alert: rule.alert,
        inRunbook: true,
      });
    }
  });

  it('takes the stuck bounds and routing labels from values', () => {
    const rules = rulesOf(
      renderObjects([
        ...ALL_ON,
        '--set',
        'monitoring.prometheusRule.stuckMinutes.queued=7,monitoring.prometheusRule.alertLabels.team=platform',
      ]),
    );
    const stuck = rules.find((r) => r.alert === 'PocJobStuck')!;
    expect(stuck.expr).toContain('poc_jobs_oldest_in_flight_seconds{status="queued"}) > 420');
    expect(rules.every((r) => r.labels?.team === 'platform')).toBe(true);
  });

  it('ships the pipeline dashboard in a ConfigMap the Grafana sidecar loads, querying only exported metrics', () => {
    const configMap = find(objects, 'ConfigMap').find((c) => c.metadata.name.endsWith('-dashboard'))!;
    expect(configMap.metadata.labels.grafana_dashboard).toBe('1');
    const text = configMap.data['poc-provisioning-engine.json'];
    expect(text).toBe(readFileSync(join(chartDir, 'files', 'dashboards', 'pipeline.json'), 'utf8').trimEnd());
    const dashboard = JSON.parse(text);
    const queries = dashboardQueries(dashboard);
    expect(queries.length).toBeGreaterThan(10);
    const unknown = queries.flatMap((q) => metricNames(q).filter((n) => !exported.has(n)));
    expect(unknown).toEqual([]);
    // By tier: submitted, ready, failed, duration percentiles, environments live and expiring.
    const read = new Set(queries.flatMap(metricNames));
    for (const name of [
      'poc_jobs_submitted_total',
      'poc_jobs_completed_total',
      'poc_jobs_failed_total',
      'poc_provisioning_duration_seconds_bucket',
      'poc_environments_live',
      'poc_environments_expiring_24h',
    ]) {
      expect({ name, shown: read.has(name) }).toEqual({ name, shown: true });
    }
    expect(queries.filter((q) => q.includes('histogram_quantile(0.99'))).not.toEqual([]);
  });

  describe('with promtool', () => {
    const promtool = join(toolsBin, 'promtool');
    let work: string;

    beforeAll(() => {
      if (!existsSync(promtool)) throw new Error(`${promtool} is missing: run \`npm run tools\``);
      work = mkdtempSync(join(tmpdir(), 'poc-rules-'));
      const rule = find(objects, 'PrometheusRule')[0];
      writeFileSync(join(work, 'rules.yaml'), stringify({ groups: rule.spec.groups }));
      copyFileSync(join(__dirname, 'prometheus', 'alerts.test.yaml'), join(work, 'alerts.test.yaml'));
    });

    afterAll(() => {
      if (work) rmSync(work, { recursive: true, force: true });
    });

    const promtoolRun = (args: string[]) => {
      try {
        return { ok: true, out: execFileSync(promtool, args, { cwd: work, encoding: 'utf8', stdio: 'pipe' }) };
      } catch (err) {
        const e = err as { stdout?: string; stderr?: string };
        return { ok: false, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
      }
    };

    it('passes promtool check rules', () => {
      const result = promtoolRun(['check', 'rules', 'rules.yaml']);
      expect(result).toEqual({ ok: true, out: expect.stringMatching(/SUCCESS: \d+ rules found/) });
    });

    it('fires the alerts as the unit tests expect (promtool test rules)', () => {
      const result = promtoolRun(['test', 'rules', 'alerts.test.yaml']);
      expect(result).toEqual({ ok: true, out: expect.stringContaining('SUCCESS') });
    });

    it('fails a unit test whose alert does not fire, so the check can fail', () => {
      writeFileSync(
        join(work, 'never.test.yaml'),
        stringify({
          rule_files: ['rules.yaml'],
          tests: [
            {
              interval: '1m',
              input_series: [{ series: 'poc_jobs_destroy_failed{tier="standard"}', values: '0x20' }],
              alert_rule_test: [
                { eval_time: '10m', alertname: 'PocDestroyFailed', exp_alerts: [{ exp_labels: { tier: 'standard' } }] },
              ],
            },
          ],
        }),
      );
      expect(promtoolRun(['test', 'rules', 'never.test.yaml']).ok).toBe(false);
    });
  });
});

import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LONGEST_QUICK_TIMEOUT_SECONDS } from '../workflows/activity-timeouts';
import type { AttemptReport } from './activity-attempts';
import type { LoadResult } from './load';
import type { EngineModulesReport, LocalModulesReport } from './local-modules';
import type { SleepingReport } from './sleeping-environments';

/** A load run with the CPU its server used per request and the 1-minute load average. */
export type Measured = LoadResult & { cpuMicrosPerRequest: number; load1: number };
/** CPU and wall time of some provisionings. */
export interface Sample {
  cpuSeconds: number;
  wallSeconds: number;
  load1: number;
}

/** What one run measured, section by section (a section is absent when it was not run). */
export interface Figures {
  status?: { engine: Measured; floor: Measured };
  health?: { engine: Measured; floor: Measured };
  burst?: {
    engine: LoadResult & { load1: number };
    floor: LoadResult;
    accepted: number;
    allCompleted: boolean;
    secondsToAllCompleted: number;
    attempts: AttemptReport;
  };
  provisioning?: {
    c1: { engine: Omit<Sample, 'load1'>; floor: Omit<Sample, 'load1'>; load1: number };
    c5: { engine: Sample & { perMinute: number }; floor: Sample & { perMinute: number } };
  };
  sleeping?: SleepingReport;
  /** Issue 13: the local stack on the localcloud provider beside the terraform_data module. */
  localModules?: LocalModulesReport;
  /** The same through the engine: a job's queued → completed on each module. */
  localModulesEngine?: EngineModulesReport;
}

/** One bench run, as bench/results/<label>-<mode>.json holds it. */
export interface BenchResult {
  label: string;
  mode: 'quick' | 'full';
  at: string;
  sizes: Record<string, number>;
  figures: Figures;
  /** Sections measured again later with `--only`, and when. */
  remeasured?: { sections: string[]; at: string };
}

/** One target: how its figure is read from a run, and whether the figure meets it. */
interface Target {
  name: string;
  target: string;
  figure(r: BenchResult): { value: number; detail: string } | null | undefined;
  met(value: number): boolean;
}

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

const TARGETS: Target[] = [
  {
    name: 'GET status req/s (50 connections)',
    target: '≥ 0.5× floor',
    figure: ({ figures: { status: s } }) =>
      s && { value: ratio(s.engine.rps, s.floor.rps), detail: `${s.engine.rps} vs ${s.floor.rps} req/s` },
    met: (v) => v >= 0.5,
  },
  {
    name: 'GET status p99 (50 connections)',
    target: '≤ 3× floor',
    figure: ({ figures: { status: s } }) =>
      s && { value: ratio(s.engine.p99Ms, s.floor.p99Ms), detail: `${s.engine.p99Ms} vs ${s.floor.p99Ms} ms` },
    met: (v) => v <= 3,
  },
  {
    name: 'GET status CPU per request (gateway)',
    target: 'context, no target',
    figure: ({ figures: { status: s } }) =>
      s && {
        value: ratio(s.engine.cpuMicrosPerRequest, s.floor.cpuMicrosPerRequest),
        detail: `${s.engine.cpuMicrosPerRequest} vs ${s.floor.cpuMicrosPerRequest} µs`,
      },
    met: () => true,
  },
  {
    name: 'GET health CPU per request',
    target: '≤ 3× floor',
    figure: ({ figures: { health: h } }) =>
      h && {
        value: ratio(h.engine.cpuMicrosPerRequest, h.floor.cpuMicrosPerRequest),
        detail: `${h.engine.cpuMicrosPerRequest} vs ${h.floor.cpuMicrosPerRequest} µs`,
      },
    met: (v) => v <= 3,
  },
  {
    name: 'Burst of submits: POST p99',
    target: '≤ 2× floor INSERT p99',
    figure: ({ figures: { burst: b } }) =>
      b && { value: ratio(b.engine.p99Ms, b.floor.p99Ms), detail: `${b.engine.p99Ms} vs ${b.floor.p99Ms} ms` },
    met: (v) => v <= 2,
  },
  {
    name: 'Burst of submits: every job completed',
    target: 'all',
    figure: ({ figures: { burst: b } }) =>
      b && {
        value: b.allCompleted ? 1 : 0,
        detail: `${b.allCompleted ? 'all' : 'not all'} of ${b.accepted} in ${b.secondsToAllCompleted} s`,
      },
    met: (v) => v === 1,
  },
  {
    name: 'Burst: quick activity attempts lost',
    target: 'none longer than its timeout',
    figure: ({ figures: { burst: b } }) =>
      b && {
        value: b.attempts.longestQuickSeconds,
        detail: `${b.attempts.retried} retried of ${b.attempts.activities}; longest quick activity ${b.attempts.longestQuickSeconds} s`,
      },
    // No quick activity took longer than the longest quick timeout (workflows/activity-timeouts.ts).
    met: (v) => v <= LONGEST_QUICK_TIMEOUT_SECONDS,
  },
  {
    name: 'Provisioning CPU (c=1)',
    target: '≤ 1.5× raw loop',
    figure: ({ figures: { provisioning: p } }) =>
      p && {
        value: ratio(p.c1.engine.cpuSeconds, p.c1.floor.cpuSeconds),
        detail: `${p.c1.engine.cpuSeconds} vs ${p.c1.floor.cpuSeconds} CPU s`,
      },
    met: (v) => v <= 1.5,
  },
  {
    name: 'Provisioning wall time (c=1)',
    target: '≤ 2× raw loop',
    figure: ({ figures: { provisioning: p } }) =>
      p && {
        value: ratio(p.c1.engine.wallSeconds, p.c1.floor.wallSeconds),
        detail: `${p.c1.engine.wallSeconds} vs ${p.c1.floor.wallSeconds} s`,
      },
    met: (v) => v <= 2,
  },
  {
    name: 'Provisioning throughput (c=5)',
    target: '≥ 0.7× raw loop',
    figure: ({ figures: { provisioning: p } }) =>
      p && {
        value: ratio(p.c5.engine.perMinute, p.c5.floor.perMinute),
        detail: `${p.c5.engine.perMinute} vs ${p.c5.floor.perMinute} per minute`,
      },
    met: (v) => v >= 0.7,
  },
  {
    name: 'Worker RSS per sleeping environment',
    target: '≤ 64 KiB',
    figure: ({ figures: { sleeping: s } }) => {
      if (!s) return null;
      const counts = Object.keys(s.rssKiB).map(Number);
      const mib = (k: number) => Math.round(k / 102.4) / 10;
      return {
        value: s.slopeKiBPerEnvironment,
        detail: `${counts.join(' → ')} runs: ${counts.map((c) => mib(s.rssKiB[c])).join(' → ')} MiB (last step ${s.lastSlopeKiBPerEnvironment ?? '?'} KiB each); query of the oldest run ${s.queryOldestMs} ms, newest ${s.queryNewestMs} ms`,
      };
    },
    met: (v) => v <= 64,
  },
];

/** Rewrites docs/benchmarks.md's tables from every result in `dir` (columns: before, after). */
export async function writeBenchmarksDoc(dir: string, docFile: string): Promise<void> {
  const results = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as BenchResult);
  const sections: string[] = [];
  for (const mode of ['full', 'quick'] as const) {
    const before = results.find((r) => r.mode === mode && r.label === 'before');
    const after = results.find((r) => r.mode === mode && r.label === 'after');
    if (!before && !after) continue;
    const cell = (r: BenchResult | undefined, t: Target) => {
      const f = r ? t.figure(r) : null;
      if (!f) return '—';
      const verdict = t.target.startsWith('context') ? '' : t.met(f.value) ? ' ✅' : ' ❌';
      return `**${f.value}**${verdict} (${f.detail})`;
    };
    const time = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
    const when = (r: BenchResult | undefined) =>
      r
        ? `${time(r.at)}, sizes ${JSON.stringify(r.sizes)}${r.remeasured ? ` (${r.remeasured.sections.join(', ')} again at ${time(r.remeasured.at)})` : ''}`
        : 'not run';
    sections.push(
      [
        `### ${mode === 'full' ? 'Full' : 'Quick'} run (\`npm run bench${mode === 'full' ? ' -- --full' : ''}\`)`,
        '',
        `Before: ${when(before)}. After: ${when(after)}.`,
        '',
        '| figure | target (engine / floor) | before | after |',
        '| --- | --- | --- | --- |',
        ...TARGETS.map((t) => `| ${t.name} | ${t.target} | ${cell(before, t)} | ${cell(after, t)} |`),
        '',
        `Load averages (1 min) while measured — before: ${loads(before)}; after: ${loads(after)}.`,
        '',
      ].join('\n'),
    );
  }
  sections.push(...localModulesSection(results));
  const marker = '<!-- bench results: written by npm run bench -->';
  const head = existsSync(docFile) ? readFileSync(docFile, 'utf8').split(marker)[0] : `# Benchmarks\n\n`;
  // Formatted as the repository formats Markdown (npm run lint checks it).
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(docFile)) ?? {};
  const text = `${head}${marker}\n\n${sections.join('\n')}`;
  writeFileSync(docFile, await prettier.format(text, { ...options, filepath: docFile }));
}

function loads(r: BenchResult | undefined): string {
  if (!r) return '—';
  const f = r.figures;
  const parts = (
    [
      ['status', f.status?.engine.load1],
      ['health', f.health?.engine.load1],
      ['burst', f.burst?.engine.load1],
      ['provisioning', f.provisioning?.c1.load1],
    ] as const
  ).filter(([, v]) => v !== undefined);
  return parts.map(([k, v]) => `${k} ${v}`).join(', ');
}

/**
 * Issue 13's timing target, from the latest run that measured it (its own table: it compares two
 * local stack modules, not the engine with a floor).
 */
function localModulesSection(results: BenchResult[]): string[] {
  const latest = results
    .filter((r) => r.figures.localModules)
    .sort((a, b) => (b.remeasured?.at ?? b.at).localeCompare(a.remeasured?.at ?? a.at))[0];
  const m = latest?.figures.localModules;
  if (!latest || !m) return [];
  const row = (name: string, s: LocalModulesReport['modules']['localcloud']) =>
    `| ${name} | **${s.medianSeconds}** | ${Object.values(s.verbMedians).join(' / ')} | ${s.seconds.join(', ')} |`;
  const loadsSeen = [Math.min(...m.load1), Math.max(...m.load1)];
  return [
    [
      '### Local stack: localcloud provider vs terraform_data (`npm run bench -- --only local-modules,local-modules-engine --label local-modules`)',
      '',
      `${latest.label} ${latest.mode} run of ${(latest.remeasured?.at ?? latest.at).slice(0, 16).replace('T', ' ')} UTC: ${m.rounds} rounds, each provisioning the local stack once per row with the raw tofu loop, the order rotating. Target: localcloud's median ≤ 1.1× terraform_data's.`,
      '',
      '| module | median s (init + plan + apply + output) | median init / plan / apply / output s | each run, s |',
      '| --- | --- | --- | --- |',
      row('terraform_data (local-exec markers, before ADR 25)', m.modules.terraform_data),
      row('localcloud provider (ADR 25), as the engine runs it', m.modules.localcloud),
      ...(m.modules.localcloud_plugin_tls
        ? [row('localcloud provider with go-plugin TLS (before stackTofuEnv)', m.modules.localcloud_plugin_tls)]
        : []),
      '',
      `Ratio of the medians, localcloud / terraform_data: **${m.ratio}**${m.ratio <= 1.1 ? ' ✅' : ' ❌'}${m.ratioWithPluginTls ? ` (with plugin TLS: ${m.ratioWithPluginTls})` : ''}. Load average (1 min) at the rounds' ends: ${loadsSeen[0]}–${loadsSeen[1]}.`,
      '',
      ...(latest.figures.localModulesEngine ? engineModulesRows(latest.figures.localModulesEngine) : []),
    ].join('\n'),
  ];
}

/** The same comparison through the engine (submit → completed), when it was measured. */
function engineModulesRows(e: EngineModulesReport): string[] {
  const row = (name: string, x: (typeof e.modules)['localcloud']) =>
    `| ${name} | **${x.medianSeconds}** | ${Object.entries(x.stepMedians ?? {})
      .map(([step, s]) => `${step} ${s}`)
      .join(', ')} | ${x.seconds.join(', ')} |`;
  return [
    `Through the engine (${e.rounds} rounds, AB/BA: a job started as the gateway starts it, on a worker of its own per module, timed from queued_at to completed_at):`,
    '',
    '| module | median s, queued → completed | median s of each step | each run, s |',
    '| --- | --- | --- | --- |',
    row('terraform_data', e.modules.terraform_data),
    row('localcloud, as the engine runs it', e.modules.localcloud),
    '',
    `Ratio of the medians: **${e.ratio}**${e.ratio <= 1.1 ? ' ✅' : ' ❌'}. Load average (1 min) at the rounds' ends: ${Math.min(...e.load1)}–${Math.max(...e.load1)}.`,
    '',
  ];
}

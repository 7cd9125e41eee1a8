import { advanceProgress, errorDiagnostics, parseTofuLine, type TofuProgress } from './tofu-json-messages';

const PLANNED = (addr: string) =>
  `{"@level":"info","@message":"${addr}: Plan to create","type":"planned_change","change":{"resource":{"addr":"${addr}"},"action":"create"}}`;
const APPLIED = (addr: string) =>
  `{"@level":"info","@message":"${addr}: Creation complete after 0s","type":"apply_complete","hook":{"resource":{"addr":"${addr}"},"action":"create"}}`;
const ERRORED = (addr: string) =>
  `{"@level":"error","@message":"${addr}: Creation errored after 0s","type":"apply_errored","hook":{"resource":{"addr":"${addr}"},"action":"create"}}`;
const SUMMARY =
  '{"@level":"info","type":"change_summary","changes":{"add":3,"change":0,"remove":0,"operation":"plan"}}';
const DIAGNOSTIC = (severity: string, summary: string) =>
  `{"@level":"${severity}","@message":"${summary}","type":"diagnostic","diagnostic":{"severity":"${severity}","summary":"${summary}"}}`;

const VPC = 'module.poc.terraform_data.vpc_network';
const GKE = 'module.poc.terraform_data.gke_cluster';
const DB = 'module.poc.terraform_data.database_instance';
const START: TofuProgress = { planned: 0, done: 0, errored: 0 };

const fold = (lines: string[]) => lines.map((l) => parseTofuLine(l)!).reduce(advanceProgress, START);

describe('parseTofuLine', () => {
  it('parses a -json UI line into its message', () => {
    expect(parseTofuLine(`  ${SUMMARY}\n`)).toEqual({
      '@level': 'info',
      type: 'change_summary',
      changes: { add: 3, change: 0, remove: 0, operation: 'plan' },
    });
  });

  it.each([
    ['plain text', 'Initializing the backend...'],
    ['an empty line', ''],
    ['truncated JSON', '{"@level":"info","type":"apply_'],
  ])('gives null for %s', (_case, line) => {
    expect(parseTofuLine(line)).toBeNull();
  });
});

describe('advanceProgress', () => {
  it('counts planned changes and remembers the last planned resource', () => {
    expect(fold([PLANNED(VPC), PLANNED(GKE), PLANNED(DB)])).toEqual({
      planned: 3,
      done: 0,
      errored: 0,
      lastResource: DB,
    });
  });

  it('counts completed and errored resources and remembers the last one touched', () => {
    expect(fold([APPLIED(VPC), APPLIED(DB), ERRORED(GKE)])).toEqual({
      planned: 0,
      done: 2,
      errored: 1,
      lastResource: GKE,
    });
  });

  it('leaves the progress unchanged for messages about no resource', () => {
    const progress: TofuProgress = { planned: 3, done: 1, errored: 0, lastResource: VPC };
    expect(advanceProgress(progress, parseTofuLine(SUMMARY)!)).toBe(progress);
  });
});

describe('errorDiagnostics', () => {
  it('keeps only the error-severity diagnostics, in order', () => {
    const messages = [
      DIAGNOSTIC('warning', 'Deprecated attribute'),
      DIAGNOSTIC('error', 'local-exec provisioner error'),
      APPLIED(VPC),
      DIAGNOSTIC('error', 'Error acquiring the state lock'),
    ].map((l) => parseTofuLine(l)!);
    expect(errorDiagnostics(messages).map((d) => d.summary)).toEqual([
      'local-exec provisioner error',
      'Error acquiring the state lock',
    ]);
  });

  it('finds nothing when tofu only warned', () => {
    expect(errorDiagnostics([parseTofuLine(DIAGNOSTIC('warning', 'Deprecated attribute'))!])).toEqual([]);
  });
});

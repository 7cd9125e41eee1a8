import { advanceProgress, errorDiagnostics, parseTofuLine, type TofuProgress } from './tofu-json-messages';

const line = (o: object) => JSON.stringify(o);
const planned = line({
  type: 'planned_change',
  change: { resource: { addr: 'module.poc.terraform_data.vpc_network' } },
});
const applied = (addr: string) => line({ type: 'apply_complete', hook: { resource: { addr }, action: 'create' } });

describe('tofu -json messages', () => {
  it('parses JSON lines and gives null for plain text or broken JSON', () => {
    expect(parseTofuLine(line({ type: 'version', '@level': 'info' }))).toEqual({ type: 'version', '@level': 'info' });
    expect(parseTofuLine('Initializing the backend...')).toBeNull();
    expect(parseTofuLine('{"type": "apply_')).toBeNull();
  });

  it('counts planned, applied and errored resources and remembers the last one', () => {
    const messages = [
      planned,
      planned,
      applied('a'),
      applied('b'),
      line({ type: 'apply_errored', hook: { resource: { addr: 'c' } } }),
    ];
    const progress = messages
      .map((m) => parseTofuLine(m)!)
      .reduce<TofuProgress>(advanceProgress, { planned: 0, done: 0, errored: 0 });
    expect(progress).toEqual({ planned: 2, done: 2, errored: 1, lastResource: 'c' });
  });

  it('ignores messages that say nothing about resources', () => {
    const start: TofuProgress = { planned: 1, done: 0, errored: 0 };
    expect(
      advanceProgress(start, { type: 'change_summary', changes: { add: 3, change: 0, remove: 0, operation: 'apply' } }),
    ).toBe(start);
  });

  it('keeps only error diagnostics', () => {
    const diags = errorDiagnostics([
      { type: 'diagnostic', diagnostic: { severity: 'warning', summary: 'Deprecated' } },
      { type: 'diagnostic', diagnostic: { severity: 'error', summary: 'Boom' } },
      { type: 'apply_complete' },
    ]);
    expect(diags).toEqual([{ severity: 'error', summary: 'Boom' }]);
  });
});

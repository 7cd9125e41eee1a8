// The Helm chart as the static tests render it: the pinned helm from `npm run tools`, and the
// values sets CI renders (the defaults and every file in the chart's ci/ folder).
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const repoRoot = join(__dirname, '..', '..');
export const chartDir = join(repoRoot, 'helm', 'poc-provisioning-engine');
export const toolsBin = join(repoRoot, '.tools', 'bin');

/** A rendered manifest: untyped JSON, as the API server receives it. */
export type K8sObject = ReturnType<typeof JSON.parse>;

/** The defaults, then each ci/*.yaml (listed, so that a new values file is checked too). */
export function valuesSets(): Array<{ name: string; args: string[] }> {
  const files = readdirSync(join(chartDir, 'ci'))
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  return [
    { name: 'default values', args: [] },
    ...files.map((f) => ({ name: `ci/${f}`, args: ['-f', join(chartDir, 'ci', f)] })),
  ];
}

/** `helm template` of the chart as YAML text. */
export function renderText(args: string[]): string {
  return execFileSync(join(toolsBin, 'helm'), ['template', 'poc', chartDir, '--namespace', 'poc-engine', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** `helm template` of the chart as objects. */
export function renderObjects(args: string[]): K8sObject[] {
  return parseAllDocuments(renderText(args))
    .map((doc): K8sObject => doc.toJS())
    .filter((o) => o !== null);
}

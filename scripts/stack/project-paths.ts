import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, whether running from sources (ts) or from dist/. */
export function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) || dir.endsWith('dist')) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the project root');
    dir = parent;
  }
  return dir;
}

export const toolPath = (name: string) => join(projectRoot(), '.tools', 'bin', name);
export const dataPath = (...parts: string[]) => join(projectRoot(), '.data', ...parts);

/** The filesystem mirror `npm run tools` builds the repository's own providers into (ADR 25). */
export const providerMirrorPath = () => join(projectRoot(), '.tools', 'providers');

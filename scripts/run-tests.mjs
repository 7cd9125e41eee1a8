#!/usr/bin/env node
// `npm test`: runs every Jest project (unit, then integration and e2e on the real stack that
// test/support/global-setup.ts starts) and ends with the plain line `N passed, N failed`,
// which CI reads. Extra arguments go to Jest (e.g. `npm test -- --selectProjects unit`).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const resultsFile = join(root, '.data', 'jest-results.json');
mkdirSync(dirname(resultsFile), { recursive: true });
writeFileSync(resultsFile, '{}');

const jest = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules', 'jest', 'bin', 'jest.js'),
    '--json',
    `--outputFile=${resultsFile}`,
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit' },
);

let results = {};
try {
  results = JSON.parse(readFileSync(resultsFile, 'utf8'));
} catch {
  // Jest died before writing results: counted below as a failure.
}
const passed = results.numPassedTests ?? 0;
const skipped = (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0);
// Suites that failed to run (setup errors) have no failed tests of their own: count each once.
const failed = (results.numFailedTests ?? 0) + (results.numRuntimeErrorTestSuites ?? 0);
const broken = jest.status !== 0 && failed === 0 ? 1 : 0;
const summary = `${passed} passed, ${failed + broken} failed${skipped ? `, ${skipped} skipped` : ''}`;
writeFileSync(join(root, '.data', 'test-summary.txt'), `${summary}\n`);
console.log(summary);
process.exit(jest.status === 0 && passed > 0 ? 0 : 1);

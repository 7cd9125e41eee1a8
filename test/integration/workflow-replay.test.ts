import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Determinism guard: a history recorded from a real run (RECORD_HISTORIES=1 on the workflow
// test) must replay against today's workflow code. A change that breaks this needs versioning
// (patched()) before it ships, or running workflows would fail on their next task.
describe('provisionEnvironment replay', () => {
  it('replays a recorded provision-to-destroy history without nondeterminism', async () => {
    const history = historyFromJSON(
      JSON.parse(readFileSync(join(__dirname, '../fixtures/histories/provision-environment-destroyed.json'), 'utf8')),
    );
    await expect(
      Worker.runReplayHistory({ workflowsPath: require.resolve('../../workflows') }, history, 'recorded-run'),
    ).resolves.toBeUndefined();
  });
});

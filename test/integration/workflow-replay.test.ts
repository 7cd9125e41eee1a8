import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testDataConverter } from '../support/test-stack';

// Determinism guard: histories recorded from real runs (RECORD_HISTORIES=1 on the workflow
// test writes the newest) must replay against today's workflow code, including those of older
// workflow versions that may still be running. A change that breaks this needs versioning
// (patched()) before it ships, or running workflows would fail on their next task.
const dir = join(__dirname, '../fixtures/histories');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('workflow replay', () => {
  it('has recorded histories to replay', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(2);
  });

  it.each(fixtures)('replays %s without nondeterminism', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    await expect(
      Worker.runReplayHistory(
        { workflowsPath: require.resolve('../../workflows'), dataConverter: testDataConverter() },
        history,
        file,
      ),
    ).resolves.toBeUndefined();
  });
});

import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { writeFileSync } from 'node:fs';
import { testDataConverter } from './test-stack';

/**
 * Replays a finished run's history against the current workflow code (fails on nondeterminism)
 * and, with RECORD_HISTORIES set, writes it as the replay fixture `fixture`.
 */
export async function replayAndRecord(handle: WorkflowHandle, fixture: string): Promise<void> {
  const history = await handle.fetchHistory();
  await Worker.runReplayHistory(
    { workflowsPath: require.resolve('../../workflows'), dataConverter: testDataConverter() },
    history,
  );
  if (process.env.RECORD_HISTORIES) writeFileSync(fixture, historyToJSON(history));
}

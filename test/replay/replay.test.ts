/**
 * Every journey history recorded from a released version must replay on today's workflow code: a change that would
 * break running journeys fails here (guard it with `patched()` and record the new path with test/replay/record.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { TEST_DATA_CONVERTER, workflowBundle } from '../helpers/temporal';

const dir = path.join(__dirname, 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('released journey histories', () => {
  it('are on file', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s replays on the current workflow code', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
    await Worker.runReplayHistory(
      { workflowBundle: await workflowBundle(), dataConverter: TEST_DATA_CONVERTER, replayName: file },
      history,
    );
  });
});

/**
 * A built worker loads the workflow bundle the build wrote (src/bundle-workflows.ts) instead of bundling at start; a
 * worker run from source bundles, so it never runs a stale bundle; a bundle path that is not there is a clear error.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { journeyWorkflowsSource, WORKFLOW_BUNDLE_FILE, WORKFLOWS_PATH } from '../../src/temporal/workflow-bundle';
import { OrderStory, startJourneyWorld, type JourneyWorld } from '../helpers/journey-harness';

jest.setTimeout(120_000);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'oj-bundle-'));
let world: JourneyWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

it('a worker given the bundle the build wrote runs a journey from it: the customer is thanked', async () => {
  const bundlePath = path.join(tmp, WORKFLOW_BUNDLE_FILE);
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--import',
    'tsx',
    'src/bundle-workflows.ts',
    bundlePath,
  ]);
  expect(stdout).toContain(`workflow bundle written to ${bundlePath}`);

  const source = journeyWorkflowsSource(bundlePath);
  expect(source).toEqual({ workflowBundle: { codePath: bundlePath } });
  world = await startJourneyWorld({}, { codePath: bundlePath });
  const story = await OrderStory.place(world, { channels: ['email'] });
  await story.untilMessages(1);
  expect(await story.receivedTypes('email')).toEqual(['confirmation']);
});

it('a built worker finds the bundle beside its code; from source (no bundle there) it bundles at start', () => {
  const dist = path.join(tmp, 'dist');
  mkdirSync(path.join(dist, 'workflows'), { recursive: true });
  expect(journeyWorkflowsSource(undefined, path.join(dist, 'workflows'))).toEqual({ workflowsPath: WORKFLOWS_PATH });
  writeFileSync(path.join(dist, WORKFLOW_BUNDLE_FILE), '// built');
  expect(journeyWorkflowsSource(undefined, path.join(dist, 'workflows'))).toEqual({
    workflowBundle: { codePath: path.join(dist, WORKFLOW_BUNDLE_FILE) },
  });
});

it('a bundle path that is not there stops the worker with a message naming the setting', () => {
  expect(() => journeyWorkflowsSource(path.join(tmp, 'missing.js'))).toThrow(
    /no workflow bundle at .*missing\.js \(TEMPORAL_WORKFLOW_BUNDLE_PATH\)/,
  );
});

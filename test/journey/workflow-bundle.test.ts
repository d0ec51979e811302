/**
 * A built worker loads the workflow bundle the build wrote (src/bundle-workflows.ts) instead of bundling at start; a
 * worker run from source bundles, so it never runs a stale bundle; a bundle path that is not there is a clear error.
 * The pure domain rules are shared by every journey in a worker's cache, so they must stay pure.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  journeyWorkflowsSource,
  WORKFLOW_BUNDLE_FILE,
  WORKFLOW_PRELOAD_MODULES,
  WORKFLOWS_PATH,
} from '../../src/temporal/workflow-bundle';
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

it('the domain modules every journey shares import nothing but each other, and read no clock at load', () => {
  const shared = new Set(WORKFLOW_PRELOAD_MODULES);
  const outside: string[] = [];
  for (const file of WORKFLOW_PRELOAD_MODULES) {
    const source = readFileSync(file, 'utf8');
    for (const [, what, from] of source.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)'/gm)) {
      if (what) continue; // types are erased
      const resolved = from!.startsWith('.') ? require.resolve(path.resolve(path.dirname(file), from!)) : from!;
      if (!shared.has(resolved)) outside.push(`${path.basename(file)} imports ${from}`);
    }
    const topLevel = source.split('\n').filter((line) => /^(const|let|export const)\b/.test(line));
    for (const line of topLevel)
      if (/Date\.now|new Date\(\)|Math\.random/.test(line)) outside.push(`${path.basename(file)}: ${line}`);
  }
  expect(outside).toEqual([]);
  expect(WORKFLOW_PRELOAD_MODULES.some((f) => f.endsWith('quiet-hours.ts'))).toBe(true);
});

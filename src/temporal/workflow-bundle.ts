/**
 * The journey workflows' bundle. A worker given only the workflows' source bundles them at start with webpack, which
 * costs seconds and leaves ~120 MB more in its RSS for good (measured: 204 MB idle from a prebuilt bundle, 325 MB
 * bundling at start). So the build writes the bundle once (`npm run build` → dist/workflow-bundle.js) and a built
 * worker loads it; a worker run from source (`npm run dev`, tests) bundles at start, so it never runs a stale one.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  bundleWorkflowCode,
  type Logger,
  type WorkflowBundleOption,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';

export const WORKFLOW_BUNDLE_FILE = 'workflow-bundle.js';

/** Either the workflows' source path (bundled at start) or a bundle made beforehand (in a file, or in memory). */
export type JourneyWorkflows = { workflowsPath: string } | { workflowBundle: WorkflowBundleOption };

/**
 * Workflow interceptors bundled with the workflows: summaries for the timers the SDK starts by itself, the journey
 * view's publishing at the end of each activation, and one search-attribute upsert per activation (in runs since its
 * patch).
 */
export const WORKFLOW_INTERCEPTOR_MODULES = [
  require.resolve('../workflows/timer-summaries'),
  require.resolve('../workflows/view-publishing'),
  require.resolve('../workflows/search-attribute-upserts'),
];

/**
 * Pure domain rules the workflows use, loaded once per worker thread and shared by every journey in its cache instead
 * of once per journey (the SDK's preloadModules): each journey kept in memory then costs less — notably the
 * Intl.DateTimeFormat per time zone that quiet hours keep, ~36 KB of ICU memory apiece. Only modules that import
 * nothing else (or only each other), keep no per-journey state, and read no clock or randomness at load may be here:
 * test/journey/workflow-bundle.test.ts checks the imports.
 */
export const WORKFLOW_PRELOAD_MODULES = [
  'carriers',
  'delivery-window',
  'durations',
  'lifecycle',
  'marketing-cap',
  'message-kinds',
  'quiet-hours',
  'replenishment',
  'returns',
  'send-deadlines',
  'task-queues',
  'tracking-status',
].map((name) => require.resolve(`../domain/${name}`));

/** The workflows' entry point, beside this module: src/workflows from source, dist/workflows once built. */
export const WORKFLOWS_PATH = require.resolve('../workflows');

/** Bundles the journey workflows with their interceptors (what a worker from source does at start). */
export function bundleJourneyWorkflows(logger?: Logger): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    preloadModules: WORKFLOW_PRELOAD_MODULES,
    ...(logger ? { logger } : {}),
  });
}

/**
 * What the worker runs: the bundle at `bundlePath` when given (it must exist), else the build's bundle beside the
 * compiled code when there is one, else the workflows' source, bundled at start.
 */
export function journeyWorkflowsSource(bundlePath?: string, builtDir = path.dirname(WORKFLOWS_PATH)): JourneyWorkflows {
  if (bundlePath) {
    if (!existsSync(bundlePath)) throw new Error(`no workflow bundle at ${bundlePath} (TEMPORAL_WORKFLOW_BUNDLE_PATH)`);
    return { workflowBundle: { codePath: bundlePath } };
  }
  const built = path.join(builtDir, '..', WORKFLOW_BUNDLE_FILE);
  return existsSync(built) ? { workflowBundle: { codePath: built } } : { workflowsPath: WORKFLOWS_PATH };
}

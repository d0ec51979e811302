/**
 * Real Temporal servers for tests, from the binaries found by src/temporal/binaries.ts (no download on this machine):
 * - time-skipping (Java test server) for journeys at production durations;
 * - dev server (Temporal CLI) for integration tests: visibility queries, search attributes, the HTTP API end to end.
 */
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { createActivities, type ActivityDeps } from '../../src/activities';
import { ConsentStore } from '../../src/db/consent';
import { MessageLedger } from '../../src/db/ledger';
import { OutboxStore } from '../../src/db/outbox';
import { SupportCases } from '../../src/db/support-cases';
import { NoCarrierTracking } from '../../src/providers/carriers/types';
import { OutboxProvider } from '../../src/providers/outbox/outbox-provider';
import { testingExecutable } from '../../src/temporal/binaries';
import { journeySearchAttributes } from '../../src/workflows/search-attributes';
import { channelTaskQueue } from '../../src/workflows/activities';
import { WORKFLOWS_PATH, WorkerGroup } from '../../src/worker';

export const TEST_SHOP = { name: 'Test Shop', supportEmail: 'help@test-shop.example', supportPhone: '+37120000001' };

export async function startTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: testingExecutable('testServer') } });
  // The test server keeps no search attribute list of its own; journeys upsert JourneyStage, so register ours.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(journeySearchAttributes.map((k) => [k.name, 2 /* KEYWORD */])),
  });
  return env;
}

export async function startDevServerEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: { executable: testingExecutable('cli'), searchAttributes: journeySearchAttributes, ip: '127.0.0.1' },
  });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** Bundling the workflows takes seconds: do it once per test file. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
  return bundle;
}

const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };

/** Activities on the real ledger and outbox; a test may swap a provider (e.g. to inject a failure). */
export function journeyActivities(pool: Pool, overrides: Partial<ActivityDeps> = {}) {
  const outbox = new OutboxProvider(new OutboxStore(pool));
  return createActivities({
    ledger: new MessageLedger(pool),
    supportCases: new SupportCases(pool),
    email: outbox,
    sms: outbox,
    carriers: new NoCarrierTracking(),
    consent: new ConsentStore(pool),
    shop: TEST_SHOP,
    ...overrides,
  });
}

/**
 * The journey's workers as production runs them: the journey queue (workflows and activities) and the email and SMS
 * queues (customer sends, optionally rate-limited by the server). Run, stop or `runUntil` them together.
 */
export async function createTestWorker(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  activities: ReturnType<typeof createActivities>,
  rateLimits: { emailPerSecond?: number; smsPerSecond?: number } = {},
): Promise<WorkerGroup> {
  const namespace = env.namespace ?? 'default';
  const channelWorker = (channel: 'email' | 'sms', maxPerSecond: number | undefined) =>
    Worker.create({
      connection: env.nativeConnection,
      namespace,
      taskQueue: channelTaskQueue(taskQueue, channel),
      activities: { sendCustomerMessage: activities.sendCustomerMessage },
      ...(maxPerSecond !== undefined ? { maxTaskQueueActivitiesPerSecond: maxPerSecond } : {}),
    });
  return new WorkerGroup([
    await Worker.create({ connection: env.nativeConnection, namespace, taskQueue, workflowBundle: await workflowBundle(), activities }),
    await channelWorker('email', rateLimits.emailPerSecond),
    await channelWorker('sms', rateLimits.smsPerSecond),
  ]);
}

/**
 * Real Temporal servers for tests, from the binaries found by src/temporal/binaries.ts (no download on this machine):
 * - time-skipping (Java test server) for journeys at production durations;
 * - dev server (Temporal CLI) for integration tests: visibility queries, search attributes, the HTTP API end to end.
 */
import type { WorkflowBundleOption, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { createActivities, type ActivityDeps } from '../../src/activities';
import { ConsentStore } from '../../src/db/consent';
import { JourneyViews } from '../../src/db/journey-views';
import { MessageLedger } from '../../src/db/ledger';
import { OutboxStore } from '../../src/db/outbox';
import { SupportCases } from '../../src/db/support-cases';
import { CustomerPreferenceStore } from '../../src/db/preferences';
import { MarketingSlots } from '../../src/db/marketing-slots';
import { UnsubscribeLinks } from '../../src/domain/unsubscribe-token';
import { NoCarrierTracking } from '../../src/providers/carriers/types';
import { OutboxProvider } from '../../src/providers/outbox/outbox-provider';
import { testingExecutable } from '../../src/temporal/binaries';
import { journeySearchAttributes } from '../../src/workflows/search-attributes';
import { createJourneyWorkers, type WorkerGroup } from '../../src/temporal/journey-workers';
import { bundleJourneyWorkflows } from '../../src/temporal/workflow-bundle';
import { encryptedDataConverter } from '../../src/temporal/data-converter';
import { parseKeyRing } from '../../src/temporal/encryption-codec';
import { DEV_ENCRYPTION_KEYS, DEV_UNSUBSCRIBE_SECRET } from '../../src/config';

export const TEST_SHOP = { name: 'Test Shop', supportEmail: 'help@test-shop.example', supportPhone: '+37120000001' };
/** Where test journeys' one-click unsubscribe links point (signed with the dev secret, as the config's default). */
export const TEST_UNSUBSCRIBE_URL = 'http://localhost:3000/v1/unsubscribe';

/** Tests encrypt payloads as production does, with the dev key ring the config defaults to outside production. */
export const TEST_DATA_CONVERTER = encryptedDataConverter(parseKeyRing(DEV_ENCRYPTION_KEYS));

export async function startTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: testingExecutable('testServer') },
    client: { dataConverter: TEST_DATA_CONVERTER },
  });
  // The test server keeps no search attribute list of its own; journeys upsert JourneyStage, so register ours.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(journeySearchAttributes.map((k) => [k.name, 2 /* KEYWORD */])),
  });
  return env;
}

/** The dev server; with `uiPort`, its Web UI too, decoding payloads through `codecEndpoint`. */
export async function startDevServerEnv(
  ui: { uiPort?: number; codecEndpoint?: string } = {},
): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: testingExecutable('cli'),
      searchAttributes: journeySearchAttributes,
      ip: '127.0.0.1',
      ...(ui.uiPort ? { ui: true, uiPort: ui.uiPort } : {}),
      ...(ui.codecEndpoint ? { extraArgs: ['--ui-codec-endpoint', ui.codecEndpoint] } : {}),
    },
    client: { dataConverter: TEST_DATA_CONVERTER },
  });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** Bundling the workflows takes seconds: do it once per test file. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleJourneyWorkflows(quietLogger);
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
    preferences: new CustomerPreferenceStore(pool),
    marketingSlots: new MarketingSlots(pool),
    unsubscribe: new UnsubscribeLinks({ secret: DEV_UNSUBSCRIBE_SECRET, url: TEST_UNSUBSCRIBE_URL, tokenTtlDays: 60 }),
    ...overrides,
  });
}

/** What a test may change of the workers production builds. */
export interface TestWorkerOptions {
  /** The activities (e.g. with a provider that fails); journeyActivities(pool) by default. */
  activities?: ReturnType<typeof createActivities>;
  rateLimits?: { emailPerSecond?: number; smsPerSecond?: number };
  /** Another bundle (e.g. with a test-only interceptor, or a built file); the shared one by default. */
  bundle?: WorkflowBundleOption;
}

/**
 * The journey's workers exactly as production builds them, on the test server, with the workflows bundled once; the
 * journeys' views go to `pool`'s journey_views, as in production.
 */
export async function createTestWorker(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  pool: Pool,
  { activities = journeyActivities(pool), rateLimits = {}, bundle }: TestWorkerOptions = {},
): Promise<WorkerGroup> {
  return createJourneyWorkers({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    activities,
    dataConverter: TEST_DATA_CONVERTER,
    workflows: { workflowBundle: bundle ?? (await workflowBundle()) },
    rateLimits,
    views: new JourneyViews(pool),
  });
}

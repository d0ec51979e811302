/**
 * Support staff read a journey in the Temporal UI's timeline: every timer and activity says what it is for, in words —
 * none shows as a bare number and duration ("37 (1s)"). Summaries are read from the recorded history, decrypted as the
 * UI's codec server would.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import { decodeOptionalSingle } from '@temporalio/common/lib/internal-non-workflow/codec-helpers';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../../src/temporal/workflow-bundle';
import { DAY, OrderStory, startJourneyWorld, type JourneyWorld } from '../helpers/journey-harness';
import { TEST_DATA_CONVERTER } from '../helpers/temporal';

jest.setTimeout(120_000);

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const { EventType } = temporal.api.enums.v1;

/** Each timer and activity of a history, with its summary in words (undefined when it has none). */
async function timelineOf(events: HistoryEvent[]): Promise<{ what: string; summary?: string }[]> {
  const steps = events.filter(
    (e) =>
      e.eventType === EventType.EVENT_TYPE_TIMER_STARTED ||
      e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
  );
  return Promise.all(
    steps.map(async (e) => {
      const payload = e.userMetadata?.summary;
      const decoded = await decodeOptionalSingle(TEST_DATA_CONVERTER.payloadCodecs ?? [], payload);
      const summary = decoded ? defaultPayloadConverter.fromPayload<string>(decoded) : undefined;
      const what = e.activityTaskScheduledEventAttributes?.activityType?.name ?? `timer ${String(e.eventId)}`;
      return { what, summary };
    }),
  );
}

let world: JourneyWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

it('a journey from checkout to its close: every timer and activity has a summary in words', async () => {
  world = await startJourneyWorld();
  const story = await OrderStory.place(world, { channels: ['email', 'sms'], phone: '+37120000778' });
  const trackingNumber = `SUM${Math.random().toString(36).slice(2, 8)}`;
  await story.ship({ trackingNumber });
  await story.carrierSays(trackingNumber, 'in_transit');
  await story.wait(2 * DAY); // quiet: the journey asks the carrier
  await story.carrierSays(trackingNumber, 'delivered');
  await story.wait(60 * DAY); // tips, review request and reminder, the return window
  expect(await story.finish()).toMatchObject({ stage: 'completed' });

  const timeline = await timelineOf((await story.handle.fetchHistory()).events ?? []);
  expect(timeline.filter((t) => t.what.startsWith('timer')).length).toBeGreaterThan(3);
  expect(timeline.filter((t) => !t.summary || !/[a-z]{3,} [a-z]/i.test(t.summary))).toEqual([]);
});

it("the SDK's own backoff timer between local activity attempts says what it waits for", async () => {
  world = await startJourneyWorld();
  const { env } = world;
  const taskQueue = `summaries-${Math.random().toString(36).slice(2, 8)}`;
  let attempts = 0;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    dataConverter: TEST_DATA_CONVERTER,
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: require.resolve('./timeline-summaries.workflows'),
      workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
    }),
    activities: {
      async flakyReservation() {
        if (++attempts === 1) throw new Error('database unavailable');
        return 'reserved';
      },
    },
  });
  const handle = await worker.runUntil(async () => {
    const h = await env.client.workflow.start('retriesALocalActivity', {
      workflowId: `summaries-${taskQueue}`,
      taskQueue,
    });
    expect(await h.result()).toBe('reserved');
    return h;
  });

  const timers = (await timelineOf((await handle.fetchHistory()).events ?? [])).filter((t) =>
    t.what.startsWith('timer'),
  );
  expect(timers).toEqual([
    { what: expect.any(String), summary: 'wait 2 min before retrying flaky reservation (attempt failed)' },
  ]);
});

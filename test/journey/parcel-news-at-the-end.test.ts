/**
 * The parcels' loop at the end of a journey (issue 10's CI run: a worker killed during a carrier poll left a journey
 * that completed without its "out for delivery" and "delivered" messages). Carrier news must be answered however the
 * journey's last step and the news meet, and a carrier check still being retried must not keep a finished journey
 * open.
 *
 * On the dev server with days of a second, so the journeys end within the test, while an activity's retries (a
 * minute, then longer) keep their real durations, as they do in production.
 */
import { temporal } from '@temporalio/proto';
import { demoPolicy, type JourneyPolicy } from '../../src/domain/policy';
import { EasyPostTracking } from '../../src/providers/carriers/easypost';
import { startEasyPostStub, type CarrierStub } from '../helpers/carrier-stubs';
import { testPool } from '../helpers/database';
import { anAwakeTimeZone } from '../helpers/fixtures';
import { OrderStory, startStoppableJourneyWorld, type StoppableJourneyWorld } from '../helpers/journey-harness';
import { journeyActivities } from '../helpers/temporal';

const { EventType } = temporal.api.enums.v1;

/** Ends 20 "days" (seconds) after delivery, 5 after the review reminder (10 + 5 days). */
const policy: JourneyPolicy = { ...demoPolicy, returnWindowDays: 20, stalledAfterDays: 3_000 };
const DAY = policy.secondsPerDay * 1000;
jest.setTimeout(120_000);

const pool = testPool();
/** EasyPost on 127.0.0.1, down for the whole file: every registration and poll gets a 503 and is retried for hours. */
let easypost: CarrierStub;
let world: StoppableJourneyWorld;

beforeAll(async () => {
  easypost = await startEasyPostStub();
  easypost.override({ status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE', message: 'down for maintenance' } } });
  world = await startStoppableJourneyWorld(
    pool,
    'news-at-end',
    journeyActivities(pool, {
      carriers: new EasyPostTracking({ apiKey: 'EZTKtest0123456789abcdef', baseUrl: `${easypost.url}/v2` }),
    }),
  );
});
afterAll(async () => {
  await world?.stop();
  await easypost?.stop();
  await pool.end();
});

const tn = (prefix: string) => `${prefix}${Math.random().toString(36).slice(2, 8)}`.toUpperCase();

/** The journey's result, or a failure naming what it waited for once `ms` have passed. */
async function finishWithin(story: OrderStory, ms: number): Promise<{ stage: string }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the journey was still open ${ms / 1000} s later`)), ms);
  });
  try {
    return await Promise.race([story.finish(), late]);
  } finally {
    clearTimeout(timer);
  }
}

async function placeAndShip(prefix: string): Promise<{ story: OrderStory; parcel: string }> {
  const story = await OrderStory.place(world, { channels: ['email'], timeZone: anAwakeTimeZone(10) }, policy);
  const parcel = tn(prefix);
  await story.ship({ trackingNumber: parcel });
  await story.until((v) => v.messages.some((m) => m.messageType === 'shipped'), 'shipped');
  return { story, parcel };
}

it('a check the tracking provider keeps failing holds up no news, and is cancelled when the journey ends', async () => {
  const { story, parcel } = await placeAndShip('DOWN');
  const polls = () => easypost.calls.filter((c) => c.method === 'GET' && c.path.includes(parcel)).length;
  await story.wait(2 * DAY); // the first check fell due after a day and is being retried (a minute, then two…)
  await story.until(() => polls() > 0, 'the first check failed');

  await story.carrierSays(parcel, 'out_for_delivery');
  await story.carrierSays(parcel, 'delivered');
  await story.until(
    (v) => ['out_for_delivery', 'delivered'].every((t) => v.messages.some((m) => m.messageType === t)),
    'out for delivery and delivered sent',
  );

  // 20 days after delivery the journey is over; the check, still in its retries, does not keep it open.
  expect(await finishWithin(story, 40 * DAY)).toMatchObject({ stage: 'completed' });
  const history = await story.handle.fetchHistory();
  const pollIds = history
    .events!.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'pollCarrier')
    .map((e) => String(e.eventId));
  const cancelled = history.events!.filter(
    (e) =>
      e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED &&
      pollIds.includes(String(e.activityTaskCancelRequestedEventAttributes?.scheduledEventId)),
  );
  expect(cancelled).toHaveLength(1);
  expect(await story.receivedTypes()).toEqual(expect.arrayContaining(['shipped', 'out_for_delivery', 'delivered']));
});

it('a handover while the provider is down cancels the check and the registration; the new run registers again', async () => {
  // A budget the first run passes on the carrier's repeated scans, while both are still being retried.
  const story = await OrderStory.place(world, { channels: ['email'], timeZone: anAwakeTimeZone(10) }, policy, {
    historyEventBudget: 70,
  });
  const parcel = tn('HANDOVER');
  await story.ship({ trackingNumber: parcel });
  await story.until((v) => v.messages.some((m) => m.messageType === 'shipped'), 'shipped');
  await story.wait(2 * DAY); // the first check fell due after a day
  const { runId: firstRunId } = await story.handle.describe();
  const first = world.env.client.workflow.getHandle(story.handle.workflowId, firstRunId);
  for (let i = 0; i < 60 && (await first.describe()).status.name === 'RUNNING'; i++)
    await story.carrierSays(parcel, 'in_transit', { eventId: `scan-${i}` });
  for (let i = 0; i < 100 && (await first.describe()).status.name === 'RUNNING'; i++) await story.wait(100);
  expect((await first.describe()).status.name).toBe('CONTINUED_AS_NEW');

  const events = (await first.fetchHistory()).events!;
  const scheduled = (type: string) =>
    events
      .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === type)
      .map((e) => String(e.eventId));
  const cancelRequested = events
    .map((e) => e.activityTaskCancelRequestedEventAttributes?.scheduledEventId)
    .filter((id) => id !== undefined && id !== null)
    .map(String);
  expect(cancelRequested.sort()).toEqual([...scheduled('registerTracker'), ...scheduled('pollCarrier')].sort());

  // The new run registers the parcel again, and news goes on at once.
  const { runId: secondRunId } = await story.handle.describe();
  expect(secondRunId).not.toBe(firstRunId);
  const second = world.env.client.workflow.getHandle(story.handle.workflowId, secondRunId);
  const registeredAgain = async () =>
    (await second.fetchHistory()).events!.some(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'registerTracker',
    );
  for (let i = 0; i < 50 && !(await registeredAgain()); i++) await story.wait(100);
  expect(await registeredAgain()).toBe(true);
  await story.carrierSays(parcel, 'out_for_delivery');
  await story.until((v) => v.messages.some((m) => m.messageType === 'out_for_delivery'), 'out for delivery sent');
});

it('news that reaches the journey together with its last step is answered before it ends', async () => {
  const { story, parcel } = await placeAndShip('LAST');
  await story.carrierSays(parcel, 'delivered');
  const { deliveredAt } = await story.until((v) => v.deliveredAt !== null, 'delivered');
  await story.wait(14 * DAY);
  await story.until((v) => v.messages.some((m) => m.messageType === 'review_reminder'), 'review reminder sent');

  // Every worker away as the return window closes; the carrier then reports the parcel damaged. Both reach the
  // journey in one workflow task when a worker is back.
  await world.stopWorker();
  const windowEnds = Date.parse(deliveredAt!) + policy.returnWindowDays * DAY;
  expect(Date.now()).toBeLessThan(windowEnds); // the journey is still waiting for it
  await story.wait(windowEnds + DAY - Date.now());
  await story.carrierSays(parcel, 'exception');
  await world.startWorker();

  expect(await finishWithin(story, 30 * DAY)).toMatchObject({ stage: 'completed' });
  const view = await story.view();
  expect(view.supportCases.filter((c) => c.kind === 'delivery_problem')).toHaveLength(1);
  expect(view.messages.filter((m) => m.messageType === 'delivery_problem').map((m) => m.status)).toEqual(['sent']);
  expect(await story.receivedTypes()).toContain('delivery_problem');
});

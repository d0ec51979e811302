/**
 * After an outage the journey wakes up late: the parcel's stall check is overdue, and carrier news may already be
 * waiting (or still on its way through the carrier's webhook retries). A parcel that moved must never be reported as
 * stalled because the journey itself was held up (issue 9, defect 7: 10 of 40 customers were told "we are checking
 * with the carrier" after Temporal restarts although their parcels had moved).
 *
 * The outage is every worker being away while time passes, on the dev server with days of two seconds: the journey's
 * timers fire with nobody to run them, as when Temporal or all workers are down. (The time-skipping server cannot play
 * this: it stops skipping time as soon as a fired timer waits for a worker.)
 */
import { testPool } from '../helpers/database';
import { demoPolicy, type JourneyPolicy } from '../../src/domain/policy';
import { OrderStory, startStoppableJourneyWorld, type StoppableJourneyWorld } from '../helpers/journey-harness';

/** A day lasts 2 s; the one check of a parcel nobody can poll is due when it would count as stalled (5 days). */
const policy: JourneyPolicy = { ...demoPolicy, secondsPerDay: 2, stalledAfterDays: 5, trackingPollIntervalDays: 3 };
const DAY = policy.secondsPerDay * 1000;
jest.setTimeout(120_000);
const pool = testPool();
let world: StoppableJourneyWorld;

beforeAll(async () => {
  world = await startStoppableJourneyWorld(pool, 'late-stall');
});
afterAll(async () => {
  await world?.stop();
  await pool.end();
});

const tn = (prefix: string) => `${prefix}${Math.random().toString(36).slice(2, 8)}`.toUpperCase();

/** A shipped parcel no provider can poll. */
async function shippedParcel(prefix: string): Promise<{ story: OrderStory; parcel: string }> {
  const story = await OrderStory.place(world, { channels: ['email'] }, policy);
  const parcel = tn(prefix);
  await story.ship({ trackingNumber: parcel });
  await story.until(
    (v) => v.shipments[0]?.pollable === false && v.messages.some((m) => m.messageType === 'shipped'),
    'shipped',
  );
  return { story, parcel };
}

async function timeline(story: OrderStory): Promise<string[]> {
  return (await story.view()).timeline.map((t) => t.event);
}

it('applies carrier news that arrived during the outage before judging the parcel stalled', async () => {
  const { story, parcel } = await shippedParcel('WAITING');
  await world.stopWorker();
  await story.wait(5.5 * DAY);
  // The stall check fell due at day 5 with nobody to run it; then the scan reaches the journey, still nobody.
  await story.carrierSays(parcel, 'out_for_delivery');
  await story.wait(DAY / 2);
  await world.startWorker();

  const view = await story.until(
    (v) => v.messages.some((m) => m.messageType === 'out_for_delivery'),
    'out for delivery sent',
  );
  expect(view.shipments[0]!.stalled).toBe(false);
  expect(view.supportCases.filter((c) => c.kind === 'tracking_stalled')).toHaveLength(0);
  await story.carrierSays(parcel, 'delivered');
  await story.until((v) => v.messages.some((m) => m.messageType === 'delivered'), 'delivered sent');
  expect(await story.receivedTypes()).not.toContain('tracking_stalled');
});

it('does not judge a stall on a check the outage made late, and the news that follows is just news', async () => {
  const { story, parcel } = await shippedParcel('HELDUP');
  await world.stopWorker();
  await story.wait(8 * DAY); // the check was due at day 5: it runs three days late
  await world.startWorker();
  await story.until((v) => v.timeline.some((t) => /check ran late/.test(t.event)), 'the late check ran');

  // The carrier's retried webhook arrives soon after (before the next check, a poll interval later): it had moved.
  await story.carrierSays(parcel, 'delivered');
  const view = await story.until((v) => v.messages.some((m) => m.messageType === 'delivered'), 'delivered sent');
  expect(view.shipments[0]!.stalled).toBe(false);
  expect(view.supportCases.filter((c) => c.kind === 'tracking_stalled')).toHaveLength(0);
  expect(await story.receivedTypes()).not.toContain('tracking_stalled');
  expect((await timeline(story)).filter((t) => /stalled: no progress/.test(t))).toHaveLength(0);
});

it('still reports a parcel stalled when it stays quiet after the late check (control)', async () => {
  const { story } = await shippedParcel('QUIET');
  await world.stopWorker();
  await story.wait(8 * DAY);
  await world.startWorker();
  await story.until((v) => v.timeline.some((t) => /check ran late/.test(t.event)), 'the late check ran');
  // A poll interval later the next check is on time, and the parcel is still quiet.
  await story.until((v) => v.shipments[0]!.stalled, 'stalled');
  const view = await story.until(
    (v) => v.messages.some((m) => m.messageType === 'tracking_stalled'),
    'the customer told',
  );
  expect(view.supportCases.filter((c) => c.kind === 'tracking_stalled')).toHaveLength(1);
  expect((await story.receivedTypes()).filter((t) => t === 'tracking_stalled')).toHaveLength(1);
});

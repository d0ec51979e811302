/**
 * A late delivery scan makes the unboxing tips and the review request due at the same moment: both reserve a marketing
 * slot at once. The journey's commands must not depend on how the SDK groups results into activations, or a worker
 * restart leaves it stuck on a nondeterminism error. As local activities they did: live, each reservation completed
 * in its own activation and on replay all recorded results came in one (issue 9, cause B, fixed by one reservation at
 * a time); and a reservation still running when its workflow task timed out let the live run record commands in an
 * order replay does not reproduce (cause C). Since `marketing-slots-as-activities` reservations are regular
 * activities: each completion is an event of its own, delivered on replay where the live run saw it. The recorded
 * history must replay on the same code.
 */
import { Worker } from '@temporalio/worker';
import { demoPolicy } from '../../src/domain/policy';
import { OrderStory, startJourneyWorld, type JourneyWorld } from '../helpers/journey-harness';
import { MarketingSlots } from '../../src/db/marketing-slots';
import { testPool } from '../helpers/database';
import { TEST_DATA_CONVERTER, workflowBundle } from '../helpers/temporal';

let world: JourneyWorld;
const slotsPool = testPool();
beforeAll(async () => {
  // The second reservation waits on the first one's lock a little longer, as under load: the two results then come back
  // to the workflow one at a time.
  const slots = new MarketingSlots(slotsPool);
  const slowSecond: Pick<MarketingSlots, 'reserve'> = {
    reserve: async (request) => {
      if (request.step === 'review-request') await new Promise((r) => setTimeout(r, 400));
      return slots.reserve(request);
    },
  };
  world = await startJourneyWorld({ marketingSlots: slowSecond });
});
afterAll(() => slotsPool.end());
afterAll(() => world?.stop());

it('a journey whose tips and review request fall due together replays on its own code', async () => {
  // The demo policy (a day lasts a second) has no quiet hours: the first reservation is free, the second one capped.
  const story = await OrderStory.place(world, { channels: ['email'], marketingConsent: true }, demoPolicy);
  const DAY = demoPolicy.secondsPerDay * 1000;
  const trackingNumber = `LATE${Math.random().toString(36).slice(2, 8)}`;
  await story.ship({ trackingNumber });
  // The scan reports a delivery eleven days ago: tips (2 days after) and review request (10 days after) are both
  // overdue.
  await story.wait(2 * DAY);
  await story.carrierSays(trackingNumber, 'delivered', {
    occurredAt: new Date((await story.now()).getTime() - 11 * DAY),
  });
  await story.finish();

  const received = await story.receivedTypes();
  expect(received).toEqual(expect.arrayContaining(['unboxing_tips', 'review_request']));
  const history = await story.handle.fetchHistory();
  const localActivityMarkers = history.events!.filter(
    (e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity',
  );
  expect(localActivityMarkers).toEqual([]);
  const reservations = history.events!.filter(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'reserveMarketingSlot',
  );
  expect(reservations.length).toBeGreaterThanOrEqual(2);
  await Worker.runReplayHistory(
    { workflowBundle: await workflowBundle(), dataConverter: TEST_DATA_CONVERTER, replayName: story.order.orderId },
    history,
  );
});

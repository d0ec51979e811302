/**
 * One order's post-purchase journey, from checkout to weeks after delivery. Started by the API with workflow id
 * `order-<orderId>`; its state is the JourneyView that the `journey` query returns.
 *
 * A journey with many parcels, tracking events and weeks of polling would grow a long history: past a budget of events
 * (journey.ts) the run hands over to a new one at its next long wait — background work finishes what is in flight,
 * handlers drain — and continues as new with the view and its bookkeeping. The new run takes up the same phase; what
 * the view shows as done is never done again, and every due time is where it was.
 */
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import { sinceFloor, sincePatch, takePatchFloor } from './patches';
import { mergeUpsertsPerActivation } from './search-attribute-upserts';
import { journeyQuery } from './definitions';
import { Journey } from './journey';
import type { JourneyInput, JourneyResult } from './journey-input';
import { registerCancellationHandler, finishCancelled } from './steps/cancellation';
import { sendConfirmation } from './steps/confirmation';
import { tellCustomer } from './steps/customer';
import { waitForDelivery } from './steps/delivery';
import { followParcels, registerParcelHandlers } from './steps/parcels';
import { startReplenishment } from './steps/replenishment';
import {
  answerReturns,
  closeReturnWindow,
  registerReturnHandlers,
  stopReplenishingReturnedItems,
} from './steps/returns';
import { escalate } from './steps/escalations';
import { registerReviewHandler, requestReview, respondToBadReviews } from './steps/reviews';
import { sendUnboxingTips } from './steps/unboxing';
import { publishViewOf } from './view-publishing';

/** Since this patch the stage after confirmation is "awaiting shipment" only if no parcel moved it on meanwhile. */
const KEEP_STAGE_PATCH = 'keep-stage-after-confirmation';
/** Since this patch a return accepted while replenishment was starting stops the returned items' reminders too. */
const RETURN_DURING_REPLENISHMENT_START_PATCH = 'stop-replenishment-after-start';
/**
 * Since this patch a new order tells the customer's lifecycle workflow about itself after its confirmation
 * (steps/customer.ts), beside the journey's other work.
 */
export const CUSTOMER_LIFECYCLE_PATCH = 'tell-customer-lifecycle';

export async function orderJourney(input: JourneyInput): Promise<JourneyResult> {
  takePatchFloor(); // first, before any patch is asked (src/workflows/patches.ts)
  if (sinceFloor(2)) mergeUpsertsPerActivation(); // released with floor 2
  const journey = new Journey(input);
  setHandler(journeyQuery, () => journey.view);
  publishViewOf(() => journey.view, journey.run);
  registerParcelHandlers(journey);
  registerReviewHandler(journey);
  registerReturnHandlers(journey);
  registerCancellationHandler(journey);
  let customerTold: Promise<void> = Promise.resolve();
  if (input.resume) {
    journey.resumeQueuedWork(); // what the previous run's handlers had recorded and nobody had answered yet
  } else {
    await sendConfirmation(journey);
    // A parcel registered during a slow confirmation has already moved the journey on.
    if (!sincePatch(KEEP_STAGE_PATCH) || journey.view.stage === 'confirming') journey.enterStage('awaiting_shipment');
    if (sincePatch(CUSTOMER_LIFECYCLE_PATCH)) customerTold = tellCustomer(journey);
  }

  // Running alongside until the journey ends: parcel news and polling, bad reviews and returns whenever they come.
  // (Telling the customer's workflow too: a handover waits for it, so it is never in flight across runs.)
  const background = Promise.all([
    followParcels(journey),
    respondToBadReviews(journey),
    answerReturns(journey),
    customerTold,
  ]);

  if (journey.phase === 'delivery') {
    const delivery = await waitForDelivery(journey);
    if (delivery === 'cancelled') {
      journey.phase = 'ended';
      await finishCancelled(journey);
    } else if (delivery === 'not_shipped') {
      journey.phase = 'ended';
      journey.record(
        `nothing shipped within ${journey.policy.shipmentDeadlineDays ?? 30} days: the journey ends and support takes over`,
      );
      await escalate(
        journey,
        'order:not_shipped',
        'not_shipped',
        `Order ${input.order.orderId} has not shipped and was not cancelled`,
      );
      journey.enterStage('not_shipped');
    } else if (delivery !== 'handover') {
      journey.delivery = delivery;
      journey.phase = 'follow_up';
    }
  }
  if (journey.phase === 'follow_up' && !journey.handingOver) {
    await Promise.all([
      journey.delivery === 'delivered' ? sendUnboxingTips(journey) : Promise.resolve(),
      requestReview(journey),
      journey.replenishmentStarted
        ? Promise.resolve()
        : startReplenishment(journey).then(async () => {
            // A return accepted while the reminders were starting: stop what it returned now.
            if (sincePatch(RETURN_DURING_REPLENISHMENT_START_PATCH)) await stopReplenishingReturnedItems(journey);
          }),
    ]);
    if (!journey.handingOver) {
      journey.phase = 'closing';
      journey.enterStage('closing');
    }
  }
  if (journey.phase === 'closing' && !journey.handingOver) {
    if ((await closeReturnWindow(journey)) === 'closed') {
      journey.phase = 'ended';
      journey.enterStage('completed');
    }
  }
  if (journey.handingOver) return handOver(journey, background);

  journey.finished = true;
  await background;
  await condition(allHandlersFinished);
  return { orderId: input.order.orderId, stage: journey.view.stage };
}

/**
 * Continues as new at a quiescent point: the background loops have stopped between answers (nothing in flight), the
 * handlers have finished, and what they queued since goes along with the view.
 */
async function handOver(journey: Journey, background: Promise<unknown>): Promise<never> {
  journey.record(`history at ${workflowInfo().historyLength} events: the journey continues in a new run`);
  await background;
  await condition(allHandlersFinished);
  return continueAsNew<typeof orderJourney>({
    ...journey.input,
    resume: journey.handover(),
  });
}

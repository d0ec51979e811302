/**
 * One order's post-purchase journey, from checkout to weeks after delivery. Started by the API with workflow id
 * `order-<orderId>`; its state is the JourneyView that the `journey` query returns.
 */
import { allHandlersFinished, condition, patched, setHandler } from '@temporalio/workflow';
import { journeyQuery } from './definitions';
import { Journey } from './journey';
import type { JourneyInput, JourneyResult } from './journey-input';
import { registerCancellationHandler, finishCancelled } from './steps/cancellation';
import { sendConfirmation } from './steps/confirmation';
import { waitForDelivery } from './steps/delivery';
import { followParcels, registerParcelHandlers } from './steps/parcels';
import { startReplenishment } from './steps/replenishment';
import { answerReturns, closeReturnWindow, registerReturnHandlers, stopReplenishingReturnedItems } from './steps/returns';
import { escalate } from './steps/escalations';
import { registerReviewHandler, requestReview, respondToBadReviews } from './steps/reviews';
import { sendUnboxingTips } from './steps/unboxing';

/** Since this patch the stage after confirmation is "awaiting shipment" only if no parcel moved it on meanwhile. */
const KEEP_STAGE_PATCH = 'keep-stage-after-confirmation';
/** Since this patch a return accepted while replenishment was starting stops the returned items' reminders too. */
const RETURN_DURING_REPLENISHMENT_START_PATCH = 'stop-replenishment-after-start';

export async function orderJourney(input: JourneyInput): Promise<JourneyResult> {
  const journey = new Journey(input);
  setHandler(journeyQuery, () => journey.view);
  registerParcelHandlers(journey);
  registerReviewHandler(journey);
  registerReturnHandlers(journey);
  registerCancellationHandler(journey);

  await sendConfirmation(journey);
  // A parcel registered during a slow confirmation has already moved the journey on.
  if (!patched(KEEP_STAGE_PATCH) || journey.view.stage === 'confirming') journey.enterStage('awaiting_shipment');

  // Running alongside until the journey ends: parcel news and polling, bad reviews and returns whenever they come.
  const background = Promise.all([followParcels(journey), respondToBadReviews(journey), answerReturns(journey)]);

  const delivery = await waitForDelivery(journey);
  if (delivery === 'cancelled') {
    await finishCancelled(journey);
  } else if (delivery === 'not_shipped') {
    journey.record(`nothing shipped within ${journey.policy.shipmentDeadlineDays ?? 30} days: the journey ends and support takes over`);
    await escalate(journey, 'order:not_shipped', 'not_shipped', `Order ${input.order.orderId} has not shipped and was not cancelled`);
    journey.enterStage('not_shipped');
  } else {
    await Promise.all([
      delivery === 'delivered' ? sendUnboxingTips(journey) : Promise.resolve(),
      requestReview(journey),
      startReplenishment(journey).then(async () => {
        // A return accepted while the reminders were starting: stop what it returned now.
        if (patched(RETURN_DURING_REPLENISHMENT_START_PATCH)) await stopReplenishingReturnedItems(journey);
      }),
    ]);
    journey.enterStage('closing');
    await closeReturnWindow(journey);
    journey.enterStage('completed');
  }

  journey.finished = true;
  await background;
  await condition(allHandlersFinished);
  return { orderId: input.order.orderId, stage: journey.view.stage };
}

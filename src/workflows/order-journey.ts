/**
 * One order's post-purchase journey, from checkout to weeks after delivery. Started by the API with workflow id
 * `order-<orderId>`; its state is the JourneyView that the `journey` query returns.
 */
import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import { journeyQuery } from './definitions';
import { Journey } from './journey';
import type { JourneyInput, JourneyResult } from './journey-input';
import { registerCancellationHandler, finishCancelled } from './steps/cancellation';
import { sendConfirmation } from './steps/confirmation';
import { waitForDelivery } from './steps/delivery';
import { followParcels, registerParcelHandlers } from './steps/parcels';
import { startReplenishment } from './steps/replenishment';
import { closeReturnWindow, registerReturnHandlers } from './steps/returns';
import { registerReviewHandler, requestReview, respondToBadReviews } from './steps/reviews';
import { sendUnboxingTips } from './steps/unboxing';

export async function orderJourney(input: JourneyInput): Promise<JourneyResult> {
  const journey = new Journey(input);
  setHandler(journeyQuery, () => journey.view);
  registerParcelHandlers(journey);
  registerReviewHandler(journey);
  registerReturnHandlers(journey);
  registerCancellationHandler(journey);

  await sendConfirmation(journey);
  journey.enterStage('awaiting_shipment');

  // Running alongside until the journey ends: parcel news and polling, and bad reviews whenever they come.
  const background = Promise.all([followParcels(journey), respondToBadReviews(journey)]);

  const delivery = await waitForDelivery(journey);
  if (delivery === 'cancelled') {
    await finishCancelled(journey);
  } else {
    await Promise.all([
      delivery === 'delivered' ? sendUnboxingTips(journey) : Promise.resolve(),
      requestReview(journey),
      startReplenishment(journey),
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

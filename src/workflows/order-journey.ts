/**
 * One order's post-purchase journey: confirmation at once, then the order's way to the customer and beyond.
 * Started by the API with workflow id `order-<orderId>`; its state is the JourneyView the `journey` query returns.
 */
import { condition, setHandler } from '@temporalio/workflow';
import { journeyQuery } from './definitions';
import { Journey } from './journey';
import type { JourneyInput, JourneyResult } from './journey-input';
import { sendConfirmation } from './steps/confirmation';

export async function orderJourney(input: JourneyInput): Promise<JourneyResult> {
  const journey = new Journey(input);
  setHandler(journeyQuery, () => journey.view);

  await sendConfirmation(journey);

  journey.enterStage('awaiting_shipment', [
    { step: 'shipment', description: 'waiting for the order to ship', dueAt: null },
  ]);
  // Shipments, delivery tracking and the later steps move the journey on from here.
  await condition(() => journey.view.stage !== 'awaiting_shipment');

  return { orderId: input.order.orderId, stage: journey.view.stage };
}

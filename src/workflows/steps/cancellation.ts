/**
 * Step 6b — cancellation by support staff: accepted only while nothing has shipped. The journey then tells the
 * customer, stops every pending timer and completes as cancelled.
 */
import { setHandler } from '@temporalio/workflow';
import { cancelOrderUpdate } from '../definitions';
import type { Journey } from '../journey';
import { orderRef, sendToCustomer } from '../send';

export function registerCancellationHandler(journey: Journey): void {
  setHandler(
    cancelOrderUpdate,
    ({ reason }) => {
      const cancelledAt = journey.cancel(reason);
      journey.record(`cancellation accepted (${reason})`);
      return { cancelledAt };
    },
    {
      validator: (_request) => {
        if (journey.view.cancellation) throw new Error('the order is already cancelled');
        if (journey.outboundShipments().length > 0) throw new Error('already shipped; start a return');
      },
    },
  );
}

export async function finishCancelled(journey: Journey): Promise<void> {
  await sendToCustomer(journey, 'cancellation', { messageType: 'cancellation', data: { order: orderRef(journey) } });
  journey.clearPlan();
  journey.enterStage('cancelled');
}

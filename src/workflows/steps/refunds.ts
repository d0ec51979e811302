/**
 * Step 6a'' — a return parcel reached us: the refund is confirmed to the customer, once per return.
 */
import type { Journey } from '../journey';
import type { ShipmentView } from '../journey-state';
import { itemRefs, orderRef, sendToCustomer } from '../send';

/** A return parcel reached us: confirm the refund, once. */
export async function settleReturnParcel(journey: Journey, parcel: ShipmentView): Promise<void> {
  const rma = journey.view.returns.find((r) => r.rmaId === parcel.rmaId);
  if (!rma || rma.status === 'received') return;
  journey.settleReturn(rma, 'received');
  journey.unplan(`return:${rma.rmaId}`);
  journey.record(`return ${rma.rmaId} received`);
  await sendToCustomer(journey, `return:${rma.rmaId}:refund`, {
    messageType: 'refund_confirmed',
    data: { order: orderRef(journey), rmaId: rma.rmaId, items: itemRefs(journey, rma.items) },
  });
}

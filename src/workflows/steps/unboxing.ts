/** Step 3 — unboxing follow-up: a durable sleep of the policy delay after delivery, then care and usage tips. */
import { sleepUntil } from '../clock';
import { Journey } from '../journey';
import { itemRefs, orderRef, sendToCustomer } from '../send';

export async function sendUnboxingTips(journey: Journey): Promise<void> {
  const dueAt = Journey.after(journey.view.deliveredAt!, journey.days(journey.policy.unboxingDelayDays));
  journey.planStep('unboxing', 'send care and usage tips', dueAt);
  await sleepUntil(dueAt, `unboxing tips ${journey.policy.unboxingDelayDays} days after delivery`);
  journey.unplan('unboxing');
  const items = journey.keptItems();
  if (!items.length) {
    journey.record('unboxing tips skipped: every item was returned');
    return;
  }
  await sendToCustomer(
    journey,
    'unboxing-tips',
    { messageType: 'unboxing_tips', data: { order: orderRef(journey), items: itemRefs(journey, items.map((i) => ({ sku: i.sku }))) } },
    { stillWanted: () => journey.keptItems().length > 0 },
  );
}

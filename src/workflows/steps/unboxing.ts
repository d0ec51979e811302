/** Step 3 — unboxing follow-up: a durable sleep of the policy delay after delivery, then care and usage tips. */
import { dueAfterDays } from '../../domain/durations';
import type { Journey } from '../journey';
import { itemRefs, orderRef, sendToCustomer } from '../send';

/** Returns early when the run hands over before the tips are due: the next run waits for the same due time. */
export async function sendUnboxingTips(journey: Journey): Promise<void> {
  if (journey.done('unboxing')) return;
  const dueAt = dueAfterDays(journey.view.deliveredAt!, journey.policy, journey.policy.unboxingDelayDays);
  journey.planStep('unboxing', 'send care and usage tips', dueAt);
  if (
    await journey.sleepUntilOrHandOver(dueAt, `unboxing tips ${journey.policy.unboxingDelayDays} days after delivery`)
  )
    return;
  journey.unplan('unboxing');
  const items = journey.keptItems();
  if (!items.length) {
    journey.record('unboxing tips skipped: every item was returned');
    journey.markDone('unboxing');
    return;
  }
  await sendToCustomer(
    journey,
    'unboxing-tips',
    {
      messageType: 'unboxing_tips',
      data: {
        order: orderRef(journey),
        items: itemRefs(
          journey,
          items.map((i) => ({ sku: i.sku })),
        ),
      },
    },
    { stillWanted: () => journey.keptItems().length > 0 },
  );
  journey.markDone('unboxing');
}

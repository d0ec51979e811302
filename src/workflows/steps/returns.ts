/**
 * Step 6a — returns, opened by support staff. The update's validator applies the return rules (window, items,
 * quantities) so the caller gets a clear yes or no; an accepted return gets an RMA id and instructions (with a prepaid
 * label where one can be bought: ./return-labels.ts), then waits for its parcel (tracked like any parcel; its arrival
 * confirms the refund: ./refunds.ts). Returned items drop out of reviews and replenishment.
 */
import { condition, getExternalWorkflowHandle, setHandler } from '@temporalio/workflow';
import { sincePatch } from '../patches';
import { judgeReturn } from '../../domain/returns';
import { replenishmentWorkflowId } from '../../domain/replenishment';
import { daysToMs, dueAfterDays } from '../../domain/durations';
import { workflowNow, isoNow as now, msUntil } from '../clock';
import { requestReturnUpdate, replenishmentStopSignal, type ReturnRequest } from '../definitions';
import type { Journey } from '../journey';
import type { ReturnView } from '../journey-state';
import { itemRefs, orderRef, sendToCustomer } from '../send';
import { RETURN_LABELS_PATCH, returnLabelFor } from './return-labels';

/**
 * Since this patch the update answers as soon as the RMA is recorded; the "return accepted" message and the end of the
 * returned items' replenishment follow from the journey's own flow (`answerReturns`). Before, the update waited for the
 * email (behind the rate-limited queue, for hours in an outage), and support's HTTP call with it.
 */
export const RETURN_ANSWERS_AT_ONCE_PATCH = 'return-answers-at-once';

export function registerReturnHandlers(journey: Journey): void {
  setHandler(
    requestReturnUpdate,
    async ({ items, reason }) => {
      const rma: ReturnView = {
        rmaId: `RMA-${journey.order.orderId}-${journey.view.returns.length + 1}`,
        items,
        reason,
        acceptedAt: now(),
        status: 'awaiting_parcel',
      };
      journey.acceptReturn(rma);
      journey.record(`return ${rma.rmaId} accepted (${reason})`);
      journey.planStep(`return:${rma.rmaId}`, `return ${rma.rmaId}: waiting for the parcel`, parcelDueBy(journey, rma));
      if (sincePatch(RETURN_ANSWERS_AT_ONCE_PATCH)) {
        journey.queueReturnAnnouncement(rma);
        return { rmaId: rma.rmaId };
      }
      await announceReturn(journey, rma);
      return { rmaId: rma.rmaId };
    },
    {
      validator: ({ items }: ReturnRequest) => {
        const verdict = judgeReturn(items, {
          deliveredAt: journey.deliveredAtSoFar(), // the validator does not run on replay: no patch needed
          returnWindowMs: daysToMs(journey.policy, journey.policy.returnWindowDays),
          now: workflowNow().getTime(),
          bought: journey.bought(),
          alreadyReturned: journey.returned(),
          cancelled: journey.view.cancellation !== null,
        });
        if (!verdict.ok) throw new Error(verdict.reason);
      },
    },
  );
}

/**
 * Runs for the whole journey: each accepted return's message and replenishment stop, in the order they came. Stops
 * between answers at a handover.
 */
export async function answerReturns(journey: Journey): Promise<void> {
  const toAnnounce = journey.returnsToAnnounce;
  while (!journey.finished || toAnnounce.length) {
    await condition(() => toAnnounce.length > 0 || journey.finished || journey.handingOver);
    if (journey.handingOver) return;
    const rma = toAnnounce.shift();
    if (rma) await announceReturn(journey, rma);
  }
}

async function announceReturn(journey: Journey, rma: ReturnView): Promise<void> {
  const label = sincePatch(RETURN_LABELS_PATCH) ? await returnLabelFor(journey, rma) : undefined;
  await sendToCustomer(journey, `return:${rma.rmaId}:accepted`, {
    messageType: 'return_accepted',
    data: {
      order: orderRef(journey),
      rmaId: rma.rmaId,
      items: itemRefs(journey, rma.items),
      ...(label ? { label } : {}),
    },
  });
  await stopReplenishingReturnedItems(journey);
}

/** Policies from before `returnParcelWaitDays` existed wait as long as the return window. */
function parcelWaitDays(journey: Journey): number {
  return journey.policy.returnParcelWaitDays ?? journey.policy.returnWindowDays;
}

/** When an accepted return lapses if its parcel has not come. */
function parcelDueBy(journey: Journey, rma: ReturnView): string {
  return dueAfterDays(rma.acceptedAt, journey.policy, parcelWaitDays(journey));
}

/** Items no longer kept stop their replenishment reminders (unless a newer order of them keeps those going). */
export async function stopReplenishingReturnedItems(journey: Journey): Promise<void> {
  if (!journey.replenishmentStarted) return;
  const kept = new Set(journey.keptItems().map((i) => i.sku));
  for (const sku of journey.replenishing.filter((s) => !kept.has(s))) {
    journey.replenishing = journey.replenishing.filter((s) => s !== sku);
    await getExternalWorkflowHandle(replenishmentWorkflowId(journey.order.customerId, sku))
      .signal(replenishmentStopSignal, { orderId: journey.order.orderId, reason: 'returned' })
      .catch(() => journey.record(`replenishment of ${sku} had already ended`));
  }
}

/**
 * The journey stays open while a return is still possible: until the window closes and every accepted return has
 * either arrived or lapsed. 'handover' when the run should continue as new first (the next run waits on from the view).
 */
export async function closeReturnWindow(journey: Journey): Promise<'closed' | 'handover'> {
  if (!journey.view.deliveredAt) return 'closed';
  const windowEnds = dueAfterDays(journey.view.deliveredAt, journey.policy, journey.policy.returnWindowDays);
  journey.planStep('return-window', 'return window closes', windowEnds);
  if (await journey.sleepUntilOrHandOver(windowEnds, 'return window open')) return 'handover';
  journey.unplan('return-window');
  for (;;) {
    const open = journey.view.returns.filter((r) => r.status === 'awaiting_parcel');
    if (!open.length) return 'closed';
    const lapses = open
      .map((r) => ({ rma: r, at: parcelDueBy(journey, r) }))
      .sort((a, b) => a.at.localeCompare(b.at))[0]!;
    const wait = msUntil(lapses.at);
    const arrived =
      wait > 0 &&
      (await condition(() => lapses.rma.status !== 'awaiting_parcel' || journey.timeToHandOver(), wait, {
        summary: `waiting for return ${lapses.rma.rmaId}`,
      }));
    if (arrived && lapses.rma.status === 'awaiting_parcel') return 'handover';
    if (!arrived && lapses.rma.status === 'awaiting_parcel') {
      journey.settleReturn(lapses.rma, 'lapsed');
      journey.unplan(`return:${lapses.rma.rmaId}`);
      journey.record(`return ${lapses.rma.rmaId} lapsed: no parcel within ${parcelWaitDays(journey)} days`);
    }
  }
}

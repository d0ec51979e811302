/**
 * Waiting for the order to arrive: until every item has been delivered, or — when the carrier stays silent — until the
 * fallback date (the later of the expected delivery date and the last parcel's expected arrival, plus a buffer), so a
 * silent carrier does not silence the journey. A cancellation ends the wait.
 */
import { condition } from '@temporalio/workflow';
import { sincePatch } from '../patches';
import { dueAfterDays, endOfDate, latestOf } from '../../domain/durations';
import { msUntil } from '../clock';
import type { Journey } from '../journey';

export type DeliveryOutcome = 'delivered' | 'fallback' | 'cancelled' | 'not_shipped';

/** Since this patch an order that never ships (nor is cancelled) stops waiting at the policy's shipment deadline. */
export const SHIPMENT_DEADLINE_PATCH = 'shipment-deadline';

/** Null while nothing has shipped: an order that never ships gets no review request. */
function fallbackDate(journey: Journey): string | null {
  const parcels = journey.outboundShipments();
  if (!parcels.length) return null;
  const { policy } = journey;
  // The expected window is in calendar days; a parcel is "late" only after the whole last day has passed.
  const expectedBy = endOfDate(journey.view.expectedDelivery.latest);
  const lastParcelBy = dueAfterDays(
    latestOf(parcels.map((p) => p.registeredAt)),
    policy,
    policy.expectedDeliveryDays.max,
  );
  // Calendar expectations are real days; the buffer is a policy duration (seconds in the demo).
  return dueAfterDays(latestOf([expectedBy, lastParcelBy]), policy, policy.reviewFallbackBufferDays);
}

/**
 * Waits as long as it takes; 'handover' when this run should continue as new first (the next run waits on, from the
 * same state: every due time here is computed from the view).
 */
export async function waitForDelivery(journey: Journey): Promise<DeliveryOutcome | 'handover'> {
  journey.planStep('shipment', 'waiting for the order to ship', null);
  for (;;) {
    const fallbackAt = fallbackDate(journey);
    const settled = () =>
      journey.everythingDelivered() || journey.view.cancellation !== null || fallbackDate(journey) !== fallbackAt;
    const settledOrHandOver = () => settled() || journey.timeToHandOver();
    if (fallbackAt === null) {
      if (!sincePatch(SHIPMENT_DEADLINE_PATCH)) await condition(settled);
      else {
        const deadline = dueAfterDays(journey.startedAt, journey.policy, journey.policy.shipmentDeadlineDays ?? 30);
        journey.planStep('shipment', 'waiting for the order to ship (support steps in if it does not)', deadline);
        const waitMs = msUntil(deadline);
        if (waitMs === 0 || !(await condition(settledOrHandOver, waitMs, { summary: 'shipment deadline' }))) {
          journey.unplan('shipment');
          return 'not_shipped';
        }
      }
    } else {
      journey.unplan('shipment');
      journey.planStep('delivery', 'delivery expected (review falls back to this date without a scan)', fallbackAt);
      const waitMs = msUntil(fallbackAt);
      if (
        waitMs === 0 ||
        !(await condition(settledOrHandOver, waitMs, { summary: 'delivery fallback if no scan arrives' }))
      ) {
        return deliveredBy(journey, 'fallback', fallbackAt);
      }
    }
    if (journey.view.cancellation) return 'cancelled';
    const lastScan = journey.lastDeliveryScan();
    if (lastScan) return deliveredBy(journey, 'carrier', lastScan);
    if (journey.handingOver) return 'handover';
  }
}

function deliveredBy(journey: Journey, how: 'carrier' | 'fallback', at: string): DeliveryOutcome {
  journey.unplan('shipment');
  journey.unplan('delivery');
  journey.markDelivered(at, how);
  journey.record(
    how === 'carrier' ? 'every item delivered' : 'no delivery scan by the fallback date; assuming delivered',
  );
  journey.enterStage('delivered');
  return how === 'carrier' ? 'delivered' : 'fallback';
}

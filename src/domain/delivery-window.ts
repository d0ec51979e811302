/** The delivery window promised in the confirmation: checkout's own, else the policy's default from the order date. */
import type { Order } from './order';
import type { JourneyPolicy } from './policy';
import { DAY_MS } from './durations';

export interface DeliveryWindow {
  earliest: string; // ISO date (YYYY-MM-DD)
  latest: string;
}

export function expectedDeliveryWindow(
  order: Pick<Order, 'placedAt' | 'expectedDelivery'>,
  policy: Pick<JourneyPolicy, 'expectedDeliveryDays'>,
): DeliveryWindow {
  if (order.expectedDelivery) return order.expectedDelivery;
  const placed = new Date(order.placedAt).getTime();
  const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return {
    earliest: isoDate(placed + policy.expectedDeliveryDays.min * DAY_MS),
    latest: isoDate(placed + policy.expectedDeliveryDays.max * DAY_MS),
  };
}

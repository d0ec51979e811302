/**
 * One tracking-status taxonomy for every carrier, and the rules for applying carrier updates to a shipment.
 * Carriers and webhooks deliver late, twice and out of order; these rules make the shipment's status monotonic in
 * time: an older event never replaces a newer one, and `delivered` is final except for a later problem.
 */
export const TRACKING_STATUSES = [
  'label_created',
  'in_transit',
  'out_for_delivery',
  'available_for_pickup',
  'attempt_failed',
  'delivered',
  'exception',
  'returned_to_sender',
] as const;

export type TrackingStatus = (typeof TRACKING_STATUSES)[number];

export interface TrackingUpdate {
  status: TrackingStatus;
  /** When the carrier saw it happen (ISO instant), not when we heard of it. */
  occurredAt: string;
  /** The carrier's or webhook provider's event id, when it has one: the surest way to spot a repeat. */
  eventId?: string;
  description?: string;
}

export interface ShipmentTrackingState {
  status: TrackingStatus | 'registered';
  statusAt: string | null;
  seenEventIds: string[];
}

/** Statuses that mean the parcel is in trouble: the customer is told and support gets a case. */
export const PROBLEM_STATUSES: ReadonlySet<TrackingStatus> = new Set([
  'attempt_failed',
  'exception',
  'returned_to_sender',
]);

/** No later update changes these, except a problem reported after a delivery. */
const FINAL_STATUSES: ReadonlySet<string> = new Set(['delivered', 'returned_to_sender']);

export type UpdateVerdict = 'apply' | 'duplicate' | 'stale';

export function judgeUpdate(current: ShipmentTrackingState, update: TrackingUpdate): UpdateVerdict {
  if (update.eventId && current.seenEventIds.includes(update.eventId)) return 'duplicate';
  if (current.status === update.status && current.statusAt === update.occurredAt) return 'duplicate';
  if (current.statusAt !== null && Date.parse(update.occurredAt) < Date.parse(current.statusAt)) return 'stale';
  if (current.status === 'returned_to_sender') return 'stale';
  if (current.status === 'delivered' && update.status !== 'exception' && update.status !== 'returned_to_sender')
    return 'stale';
  if (current.status === update.status) return 'duplicate';
  return 'apply';
}

export function isFinal(status: ShipmentTrackingState['status']): boolean {
  return FINAL_STATUSES.has(status);
}

/** What the customer hears about a status, if anything. `in_transit` and `label_created` are not worth a message. */
export type TrackingMessageType = 'out_for_delivery' | 'ready_for_pickup' | 'delivered' | 'delivery_problem';

export function customerMessageFor(status: TrackingStatus): TrackingMessageType | undefined {
  switch (status) {
    case 'out_for_delivery':
      return 'out_for_delivery';
    case 'available_for_pickup':
      return 'ready_for_pickup';
    case 'delivered':
      return 'delivered';
    case 'attempt_failed':
    case 'exception':
    case 'returned_to_sender':
      return 'delivery_problem';
    default:
      return undefined;
  }
}

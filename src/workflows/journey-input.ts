import type { Order } from '../domain/order';
import type { JourneyPolicy } from '../domain/policy';
import type { RecipientZones } from '../domain/recipient-zones';
import type { ReviewSubmitted } from './definitions';
import type { JourneyView, ParcelNews } from './journey-state';

/** What the API starts a journey with: the order as checkout sent it, and the policy in force at that moment. */
export interface JourneyInput {
  order: Order;
  policy: JourneyPolicy;
  /**
   * Where the customer may be, for quiet hours: worked out from the order by whoever starts the journey
   * (src/journeys/journey-start.ts), so that the journey need not load the phone-number and time-zone tables (see
   * zones.ts). Absent in journeys started before: they work it out themselves.
   */
  zones?: RecipientZones;
  /** Set by the journey itself when it continues as new: where the previous run stopped, and what it knew. */
  resume?: JourneyResume;
  /**
   * History events after which a run hands over to a new one (default HISTORY_EVENT_BUDGET in journey.ts). Tests lower
   * it to see handovers in short stories.
   */
  historyEventBudget?: number;
}

export interface JourneyResult {
  orderId: string;
  stage: string;
}

/**
 * Which part of the journey's main flow a run is in: waiting for the parcels, the follow-ups after delivery (tips,
 * review, replenishment), the return window before the journey closes, or ended (only news in flight left to answer).
 */
export type JourneyPhase = 'delivery' | 'follow_up' | 'closing' | 'ended';

/**
 * Everything a run knew that a new run needs, handed over at a quiescent point (no message, check or answer in flight):
 * the view, the journey's own bookkeeping, and the news its handlers had queued but nobody had answered yet.
 */
export interface JourneyResume {
  view: JourneyView;
  /** When the first run started (the shipment deadline counts from it). */
  startedAt: string;
  phase: JourneyPhase;
  /** How the delivery phase ended ('fallback': no scan, so no unboxing tips). */
  delivery?: 'delivered' | 'fallback';
  /** Follow-up steps that are over (sent, skipped or not needed): never asked again. */
  stepsDone: string[];
  /** The review request went: the reminder is due then, unless more reviews than this count have arrived. */
  reviewReminder?: { dueAt: string; reviewsBefore: number };
  replenishing: string[];
  replenishmentStarted: boolean;
  shipmentStatusShown?: string;
  /** Parcel news recorded by the handlers but not answered yet (steps/parcels.ts). */
  parcelNews: ParcelNews[];
  /** Bad reviews not answered yet (steps/reviews.ts). */
  badReviews: ReviewSubmitted[];
  /** Accepted returns whose message has not gone yet, by RMA id (steps/returns.ts). */
  returnsToAnnounce: string[];
  /** Parcels whose tracker registration was still being retried at the handover: the new run registers them. */
  trackersToRegister?: string[];
  /** How many runs came before this one. */
  run: number;
}

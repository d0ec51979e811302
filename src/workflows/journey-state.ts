/**
 * The journey as support and checkout see it: one plain object, returned as is by the journey query.
 * Handlers and steps record what happened here; nothing else keeps journey state.
 */
import type { Channel } from '../domain/order';
import type { DeliveryWindow } from '../domain/delivery-window';
import type { TrackingStatus, TrackingUpdate } from '../domain/tracking-status';
import type { LedgerStatus } from '../domain/message-status';

export type JourneyStage =
  | 'confirming'
  | 'awaiting_shipment'
  | 'in_transit'
  | 'delivered'
  | 'awaiting_review'
  | 'closing' // nothing more to send; the return window is still open
  | 'completed'
  | 'cancelled'
  | 'not_shipped'; // nothing shipped by the policy's deadline: support takes over

export interface TimelineEntry {
  at: string; // ISO instant, workflow time
  event: string;
}

export interface SentMessage {
  step: string;
  channel: Channel;
  messageType: string;
  status: LedgerStatus;
  at: string;
  error?: { code: string; message: string };
}

export interface PlannedStep {
  step: string;
  description: string;
  /** ISO instant when the step is due, or null while it waits for something outside the journey (a shipment). */
  dueAt: string | null;
}

export interface ShipmentView {
  shipmentId: string;
  /** Outbound parcels go to the customer; return parcels come back under an RMA. */
  direction: 'outbound' | 'return';
  rmaId?: string;
  carrier: string;
  trackingNumber: string;
  trackingUrl?: string;
  items: { sku: string; quantity: number }[];
  status: TrackingStatus | 'registered';
  statusAt: string | null;
  registeredAt: string;
  /** Last time the parcel made progress (registration or a new status), in workflow time. */
  lastProgressAt: string;
  /** Last time we asked the carrier, when it had gone quiet. */
  lastCheckedAt: string | null;
  seenEventIds: string[];
  /** Carrier updates dropped as repeats or as older than what we knew. */
  ignoredUpdates: number;
  stalled: boolean;
  /**
   * How often each status reached this parcel: a second "out for delivery" after a failed attempt is news of its own.
   */
  statusCounts?: Partial<Record<TrackingStatus, number>>;
  /** False once the tracking provider said it cannot follow this carrier: the journey then never polls for it. */
  pollable?: boolean;
}

export interface ReturnView {
  rmaId: string;
  items: { sku: string; quantity: number }[];
  reason: string;
  acceptedAt: string;
  status: 'awaiting_parcel' | 'received' | 'lapsed';
  /**
   * The prepaid return label: bought (carrier and tracking number; its parcel is in `shipments`), or why the customer
   * got the plain instructions instead. Absent until decided, and in returns accepted before labels existed.
   */
  label?:
    | { status: 'bought'; carrier: string; trackingNumber: string }
    | { status: 'not_configured' | 'no_address' | 'refused' | 'failed' };
}

export interface ReviewView {
  sku: string;
  rating: number;
  at: string;
}

export interface SupportCaseView {
  caseId: string;
  /** What caused it, unique within the journey, e.g. "parcel:1Z999:exception". */
  caseKey: string;
  kind: string;
  summary: string;
  at: string;
}

export interface JourneyView {
  orderId: string;
  customerId: string;
  policy: string;
  stage: JourneyStage;
  /** What was bought (no prices or personal data). */
  items: { sku: string; name: string; quantity: number }[];
  expectedDelivery: DeliveryWindow;
  /** When every item had been delivered (or the fallback date, if no delivery scan ever came). */
  deliveredAt: string | null;
  deliveryConfirmedBy: 'carrier' | 'fallback' | null;
  shipments: ShipmentView[];
  returns: ReturnView[];
  reviews: ReviewView[];
  supportCases: SupportCaseView[];
  cancellation: { reason: string; at: string } | null;
  timeline: TimelineEntry[];
  messages: SentMessage[];
  /** The next steps, soonest first. */
  plan: PlannedStep[];
}

/** Something happened to a parcel that the customer or support may need to hear about (queued by the handlers). */
export interface ParcelNews {
  shipmentId: string;
  news: 'registered' | TrackingUpdate['status'];
  /** 1 the first time the parcel reached this status, 2 the second (another delivery attempt)… */
  occurrence?: number;
}

/**
 * The journey workflows' signals, queries and updates: defined once here, used by the workflows and by the HTTP API.
 * Support staff can send the same ones from the `temporal` CLI or the Temporal UI, e.g.
 *   temporal workflow update execute --workflow-id order-1001 --name cancelOrder --input '{"reason":"customer asked"}'
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { TrackingUpdate } from '../domain/tracking-status';
import type { RecipientZones } from '../domain/recipient-zones';
import type { ReturnLine } from '../domain/returns';
import type { BirthDate, CustomerPolicy } from '../domain/lifecycle';
import type { CustomerLifecycle } from './lifecycle/customer-state';
import type { JourneyView } from './journey-state';

/** The journey as it stands: stage, shipments, timeline, messages sent, and the plan ahead. */
export const journeyQuery = defineQuery<JourneyView>('journey');

export interface NewShipment {
  carrier: string;
  trackingNumber: string;
  trackingUrl?: string;
  /** Items in this parcel; an order may ship in several. */
  items: { sku: string; quantity: number }[];
  /** Set for a return parcel travelling back under an accepted return. */
  rmaId?: string;
}

export interface ShipmentAdded {
  shipmentId: string;
  /** False when this tracking number was already registered: the same shipment is answered again. */
  created: boolean;
}

/** Fulfilment registers a parcel. Refused for a cancelled order or items that are not in it. */
export const addShipmentUpdate = defineUpdate<ShipmentAdded, [NewShipment]>('addShipment');

export interface TrackingEvent extends TrackingUpdate {
  trackingNumber: string;
}

/** A carrier update for one of the journey's parcels (from the API, a carrier webhook or polling). */
export const trackingEventSignal = defineSignal<[TrackingEvent]>('trackingEvent');

export interface ReviewSubmitted {
  sku: string;
  rating: number;
  text?: string;
  reviewId?: string;
}

/** The review platform reports a review of an item of this order. */
export const reviewSubmittedSignal = defineSignal<[ReviewSubmitted]>('reviewSubmitted');

export interface ReturnRequest {
  items: ReturnLine[];
  reason: string;
}

export interface ReturnAccepted {
  rmaId: string;
}

/**
 * Support staff open a return. The validator refuses it (with the reason) outside the rules; nothing is recorded then.
 */
export const requestReturnUpdate = defineUpdate<ReturnAccepted, [ReturnRequest]>('requestReturn');

export interface CancelRequest {
  reason: string;
}

export interface OrderCancelled {
  cancelledAt: string;
}

/** Support staff cancel the order: accepted only before anything has shipped. */
export const cancelOrderUpdate = defineUpdate<OrderCancelled, [CancelRequest]>('cancelOrder');

// Replenishment reminders (one workflow per customer and sku).

export interface ReplenishmentContact {
  email: string;
  phone?: string;
  name?: string;
  locale: string;
  channels: ('email' | 'sms')[];
  /** Where the customer is, for quiet hours (from the order; absent in reminders started before quiet hours). */
  timeZone?: string;
  shippingCountry?: string;
  /** The zones the order's journey was started with (absent in chains of journeys started before: worked out then). */
  zones?: RecipientZones;
  /** The order's checkout consent to marketing, as of `placedAt` (absent: none given). */
  marketingConsent?: boolean;
  placedAt?: string;
}

export interface Reordered {
  orderId: string;
  /** The newest order's contact details, which the reminders use from then on. */
  contact?: ReplenishmentContact;
}

/** The customer ordered the item again: the reminder timer starts over. */
export const reorderedSignal = defineSignal<[Reordered]>('reordered');

/** The item of this order was returned: stop reminding, unless a newer order keeps the reminders going. */
export const replenishmentStopSignal = defineSignal<[{ orderId: string; reason: string }]>('stopReplenishment');

// The customer's lifecycle (one workflow per customer, `customer-<customerId>`: src/workflows/customer-lifecycle.ts).

/** What an order tells the customer's workflow: what was bought and spent, and how to reach the customer now. */
export interface CustomerOrderPlaced {
  orderId: string;
  placedAt: string;
  /** The order's total (decimal string) in `currency`: loyalty tiers count spend. */
  total: string;
  currency: string;
  categories: string[];
  skus: string[];
  /** Given at checkout: the customer's birth date (month and day; the year only if given). */
  birthDate?: BirthDate;
  contact: CustomerContact;
  /** The policy in force when the order was placed: the customer's workflow follows the latest one. */
  policy: CustomerPolicy;
}

/** How to reach the customer, from their latest order (encrypted in history like every payload). */
export interface CustomerContact {
  email: string;
  phone?: string;
  name?: string;
  locale: string;
  timeZone?: string;
  channels: ('email' | 'sms')[];
  zones: RecipientZones;
  /** The latest order's checkout consent to marketing, as of its `placedAt`. */
  marketingConsent: boolean;
}

/** Support (or checkout) recorded the customer's profile: a birth date, or none (null removes it). */
export interface CustomerProfileUpdated {
  birthDate: BirthDate | null;
  source: 'support' | 'checkout';
}

/** An order: the first starts the customer's workflow (signal-with-start from the journey), later ones signal it. */
export const customerOrderPlacedSignal = defineSignal<[CustomerOrderPlaced]>('customerOrderPlaced');

/** The customer's profile changed (PUT /v1/customers/:id/profile). */
export const customerProfileUpdatedSignal = defineSignal<[CustomerProfileUpdated]>('customerProfileUpdated');

/** The customer's lifecycle as it stands: orders, tier, birthday, upcoming messages, messages sent. */
export const customerLifecycleQuery = defineQuery<CustomerLifecycle>('customerLifecycle');

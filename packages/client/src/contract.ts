/**
 * The API's request and response types, generated from the server's zod schemas by scripts/client-types/generate.ts
 * (`npm run client:types`). Do not edit: change the schemas and generate again.
 */
/* eslint-disable */

/** What checkout sends to start an order's journey. */
export type OrderInput = {
  orderId: string;
  customerId: string;
  email: string;
  items: Array<{
    sku: string;
    name: string;
    quantity: number;
    unitPrice: string;
    category?: string | undefined;
    replenishmentIntervalDays?: number | undefined;
  }>;
  currency: string;
  total: string;
  placedAt: string;
  phone?: string | undefined;
  name?: string | undefined;
  locale?: string | undefined;
  timeZone?: string | undefined;
  shippingCountry?: string | undefined;
  shippingAddress?:
    | {
      street1: string;
      city: string;
      zip: string;
      country: string;
      name?: string | undefined;
      company?: string | undefined;
      street2?: string | undefined;
      state?: string | undefined;
    }
    | undefined;
  channels?: Array<'email' | 'sms'> | undefined;
  marketingConsent?: boolean | undefined;
  expectedDelivery?: { earliest: string; latest: string } | undefined;
  birthDate?: string | undefined;
  relatedProducts?: Array<{ sku: string; name: string; url?: string | undefined }> | undefined;
};

/** A parcel fulfilment registers. */
export type ShipmentInput = {
  carrier: string;
  trackingNumber: string;
  items: Array<{ sku: string; quantity: number }>;
  trackingUrl?: string | undefined;
  rmaId?: string | undefined;
};

/** A carrier update in the service's taxonomy. */
export type TrackingEventInput = {
  trackingNumber: string;
  status:
    | 'attempt_failed'
    | 'available_for_pickup'
    | 'delivered'
    | 'exception'
    | 'in_transit'
    | 'label_created'
    | 'out_for_delivery'
    | 'returned_to_sender';
  occurredAt: string;
  eventId?: string | undefined;
  description?: string | undefined;
};

/** A review from the review platform. */
export type ReviewInput = { sku: string; rating: number; text?: string | undefined; reviewId?: string | undefined };

/** A return support staff record. */
export type ReturnInput = { items: Array<{ sku: string; quantity: number }>; reason: string };

/** A cancellation support staff record. */
export type CancelInput = { reason: string };

/** What support changes in a customer's preferences. */
export type PreferencesUpdate = {
  marketing?: boolean | undefined;
  channels?: { email?: boolean | undefined; sms?: boolean | undefined } | undefined;
  reason?: string | undefined;
};

/** Every error body: `{ error: { code, message, details } }`. */
export type ApiErrorBody = { error: { code: string; message: string; details: unknown } };

/** The answer to a new or repeated order. */
export type JourneyStarted = { workflowId: string; runId: string };

/** The journey: stage, items, parcels, returns, reviews, support cases, timeline, messages, plan. */
export type JourneyView = {
  orderId: string;
  customerId: string;
  policy: string;
  stage:
    | 'awaiting_review'
    | 'awaiting_shipment'
    | 'cancelled'
    | 'closing'
    | 'completed'
    | 'confirming'
    | 'delivered'
    | 'in_transit'
    | 'not_shipped';
  items: Array<{ sku: string; name: string; quantity: number }>;
  expectedDelivery: { earliest: string; latest: string };
  deliveredAt: string | null;
  deliveryConfirmedBy: 'carrier' | 'fallback' | null;
  shipments: Array<{
    shipmentId: string;
    direction: 'outbound' | 'return';
    carrier: string;
    trackingNumber: string;
    items: Array<{ sku: string; quantity: number }>;
    status:
      | 'attempt_failed'
      | 'available_for_pickup'
      | 'delivered'
      | 'exception'
      | 'in_transit'
      | 'label_created'
      | 'out_for_delivery'
      | 'registered'
      | 'returned_to_sender';
    statusAt: string | null;
    registeredAt: string;
    lastProgressAt: string;
    lastCheckedAt: string | null;
    seenEventIds: string[];
    ignoredUpdates: number;
    stalled: boolean;
    rmaId?: string | undefined;
    trackingUrl?: string | undefined;
    statusCounts?:
      | {
        label_created?: number | undefined;
        in_transit?: number | undefined;
        out_for_delivery?: number | undefined;
        available_for_pickup?: number | undefined;
        attempt_failed?: number | undefined;
        delivered?: number | undefined;
        exception?: number | undefined;
        returned_to_sender?: number | undefined;
      }
      | undefined;
    pollable?: boolean | undefined;
  }>;
  returns: Array<{
    rmaId: string;
    items: Array<{ sku: string; quantity: number }>;
    reason: string;
    acceptedAt: string;
    status: 'awaiting_parcel' | 'lapsed' | 'received';
    label?:
      | { status: 'bought'; carrier: string; trackingNumber: string }
      | { status: 'failed' | 'no_address' | 'not_configured' | 'refused' }
      | undefined;
  }>;
  reviews: Array<{ sku: string; rating: number; at: string }>;
  supportCases: Array<{ caseId: string; caseKey: string; kind: string; summary: string; at: string }>;
  cancellation: { reason: string; at: string } | null;
  timeline: Array<{ at: string; event: string }>;
  messages: Array<{
    step: string;
    channel: 'email' | 'sms';
    messageType: string;
    status: 'delivered' | 'failed' | 'pending' | 'sent' | 'skipped';
    at: string;
    error?: { code: string; message: string } | undefined;
  }>;
  plan: Array<{ step: string; description: string; dueAt: string | null }>;
};


export type ShipmentAdded = { shipmentId: string; created: boolean };


export type ReturnAccepted = { rmaId: string };


export type OrderCancelled = { status: 'cancelled'; cancelledAt: string };


export type OutboxList = {
  messages: Array<{
    id: string;
    idempotencyKey: string;
    channel: 'email' | 'sms';
    orderId: string | null;
    journeyId: string | null;
    messageType: string;
    recipient: string;
    subject: string | null;
    textBody: string;
    htmlBody: string | null;
    createdAt: string;
  }>;
};


export type CustomerPreferences = {
  customerId: string;
  known: boolean;
  channels: { email: boolean; sms: boolean };
  marketing: 'not_asked' | 'opted_in' | 'opted_out';
  statements: {
    marketing?:
      | { status: 'opted_in' | 'opted_out'; source: string; reason: string | null; at: string }
      | undefined;
    email?:
      | { status: 'opted_in' | 'opted_out'; source: string; reason: string | null; at: string }
      | undefined;
    sms?:
      | { status: 'opted_in' | 'opted_out'; source: string; reason: string | null; at: string }
      | undefined;
  };
  optOuts: Array<{
    status: 'opted_in' | 'opted_out';
    source: string;
    reason: string | null;
    at: string;
    topic: 'email' | 'marketing' | 'sms';
    recordedAt: string;
  }>;
};


export type EmailPreview = { locale: string; subject: string; html: string; text: string };


export type SmsPreview = { locale: string; text: string; segments: number; encoding: 'GSM-7' | 'UCS-2' };

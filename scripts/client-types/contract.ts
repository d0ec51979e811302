/**
 * The API's request and response types as the server defines them (its zod schemas): the one source of truth for the
 * client package's types. `npm run client:types` expands each alias below into plain TypeScript in
 * packages/client/src/contract.ts, so the package depends on nothing from the server; test/client/contract.test.ts
 * fails when that file is stale.
 */
import type { z } from 'zod';
import type { orderSchema } from '../../src/domain/order';
import type {
  cancelRequestSchema,
  preferencesUpdateSchema,
  returnRequestSchema,
  reviewRequestSchema,
  shipmentRequestSchema,
  trackingEventRequestSchema,
} from '../../src/api/requests';
import type { customerPreferencesSchema } from '../../src/api/routes/preferences';
import type {
  ApiErrorBody as ServerApiErrorBody,
  EmailPreview as ServerEmailPreview,
  JourneyStarted as ServerJourneyStarted,
  JourneyViewBody,
  OutboxList as ServerOutboxList,
  SmsPreview as ServerSmsPreview,
  orderCancelledSchema,
  returnAcceptedSchema,
  shipmentAddedSchema,
} from '../../src/api/responses';

/** What checkout sends to start an order's journey. */
export type OrderInput = z.input<typeof orderSchema>;
/** A parcel fulfilment registers. */
export type ShipmentInput = z.input<typeof shipmentRequestSchema>;
/** A carrier update in the service's taxonomy. */
export type TrackingEventInput = z.input<typeof trackingEventRequestSchema>;
/** A review from the review platform. */
export type ReviewInput = z.input<typeof reviewRequestSchema>;
/** A return support staff record. */
export type ReturnInput = z.input<typeof returnRequestSchema>;
/** A cancellation support staff record. */
export type CancelInput = z.input<typeof cancelRequestSchema>;
/** What support changes in a customer's preferences. */
export type PreferencesUpdate = z.input<typeof preferencesUpdateSchema>;

/** Every error body: `{ error: { code, message, details } }`. */
export type ApiErrorBody = ServerApiErrorBody;
/** The answer to a new or repeated order. */
export type JourneyStarted = ServerJourneyStarted;
/** The journey: stage, items, parcels, returns, reviews, support cases, timeline, messages, plan. */
export type JourneyView = JourneyViewBody;
export type ShipmentAdded = z.infer<typeof shipmentAddedSchema>;
export type ReturnAccepted = z.infer<typeof returnAcceptedSchema>;
export type OrderCancelled = z.infer<typeof orderCancelledSchema>;
export type OutboxList = ServerOutboxList;
export type CustomerPreferences = z.infer<typeof customerPreferencesSchema>;
export type EmailPreview = ServerEmailPreview;
export type SmsPreview = ServerSmsPreview;

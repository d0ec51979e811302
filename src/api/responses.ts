/**
 * What the API answers, as zod schemas: the OpenAPI document's response schemas and the typed client's result types.
 * The journey view mirrors the TypeScript types the workflow's query returns (src/workflows/journey-state.ts); the type
 * checks at the end of this file fail the build when the two drift apart.
 */
import { z } from 'zod';
import { CIRCUIT_STATES } from '../domain/provider-circuit';
import type { LedgerStatus } from '../db/ledger';
import { channelSchema } from '../domain/order';
import { TRACKING_STATUSES } from '../domain/tracking-status';
import type { JourneyView } from '../workflows/journey-state';
import type { OrderCancelled, ReturnAccepted, ShipmentAdded } from '../workflows/definitions';

const isoInstant = z.string().describe('ISO 8601 instant, e.g. "2026-11-23T10:00:00.000Z"');
const isoDate = z.string().describe('ISO 8601 date, e.g. "2026-11-27"');
const itemLine = z.object({ sku: z.string(), quantity: z.number().int() });

/** Every error: `{ error: { code, message, details } }`. */
export const apiErrorSchema = z.object({
  error: z.object({
    code: z
      .string()
      .describe(
        'Stable, machine-readable: invalid_request, unauthenticated, forbidden, order_not_found, journey_ended…',
      ),
    message: z.string().describe('For people: what went wrong and, where it helps, what to do instead'),
    details: z
      .unknown()
      .nullable()
      .describe('invalid_request: `[{ path, message }]` per failing field; otherwise code-specific or null'),
  }),
});
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

export const journeyStartedSchema = z.object({
  workflowId: z.string().describe('"order-<orderId>": the journey\'s Temporal workflow id'),
  runId: z.string(),
});

export const ledgerStatusSchema = z.enum(['pending', 'sent', 'delivered', 'failed', 'skipped']);

export const journeyViewSchema = z.object({
  orderId: z.string(),
  customerId: z.string(),
  policy: z.string().describe('Journey policy the journey runs on: "production" or "demo"'),
  stage: z.enum([
    'confirming',
    'awaiting_shipment',
    'in_transit',
    'delivered',
    'awaiting_review',
    'closing',
    'completed',
    'cancelled',
    'not_shipped',
  ]),
  items: z.array(z.object({ sku: z.string(), name: z.string(), quantity: z.number().int() })),
  expectedDelivery: z.object({ earliest: isoDate, latest: isoDate }),
  deliveredAt: isoInstant.nullable(),
  deliveryConfirmedBy: z.enum(['carrier', 'fallback']).nullable(),
  shipments: z.array(
    z.object({
      shipmentId: z.string(),
      direction: z.enum(['outbound', 'return']),
      rmaId: z.string().optional(),
      carrier: z.string(),
      trackingNumber: z.string(),
      trackingUrl: z.string().optional(),
      items: z.array(itemLine),
      status: z.enum([...TRACKING_STATUSES, 'registered']),
      statusAt: isoInstant.nullable(),
      registeredAt: isoInstant,
      lastProgressAt: isoInstant,
      lastCheckedAt: isoInstant.nullable(),
      seenEventIds: z.array(z.string()),
      ignoredUpdates: z.number().int(),
      stalled: z.boolean(),
      statusCounts: z.partialRecord(z.enum(TRACKING_STATUSES), z.number().int()).optional(),
      pollable: z.boolean().optional(),
    }),
  ),
  returns: z.array(
    z.object({
      rmaId: z.string(),
      items: z.array(itemLine),
      reason: z.string(),
      acceptedAt: isoInstant,
      status: z.enum(['awaiting_parcel', 'received', 'lapsed']),
      label: z
        .union([
          z.object({ status: z.literal('bought'), carrier: z.string(), trackingNumber: z.string() }),
          z.object({ status: z.enum(['not_configured', 'no_address', 'refused', 'failed']) }),
        ])
        .optional()
        .describe(
          'The prepaid return label: bought (its parcel is among the shipments), or why the customer got the plain instructions',
        ),
    }),
  ),
  reviews: z.array(z.object({ sku: z.string(), rating: z.number().int(), at: isoInstant })),
  supportCases: z.array(
    z.object({ caseId: z.string(), caseKey: z.string(), kind: z.string(), summary: z.string(), at: isoInstant }),
  ),
  cancellation: z.object({ reason: z.string(), at: isoInstant }).nullable(),
  timeline: z.array(z.object({ at: isoInstant, event: z.string() })),
  messages: z.array(
    z.object({
      step: z.string(),
      channel: channelSchema,
      messageType: z.string(),
      status: ledgerStatusSchema,
      at: isoInstant,
      error: z.object({ code: z.string(), message: z.string() }).optional(),
    }),
  ),
  plan: z.array(z.object({ step: z.string(), description: z.string(), dueAt: isoInstant.nullable() })),
});

export const shipmentAddedSchema = z.object({
  shipmentId: z.string(),
  created: z
    .boolean()
    .describe('false: this tracking number was registered before; the same shipment is answered again'),
});

export const acceptedSchema = z.object({ accepted: z.literal(true) });

export const returnAcceptedSchema = z.object({ rmaId: z.string() });

export const orderCancelledSchema = z.object({ status: z.literal('cancelled'), cancelledAt: isoInstant });

export const outboxListSchema = z.object({
  messages: z.array(
    z.object({
      id: z.string(),
      idempotencyKey: z.string(),
      channel: channelSchema,
      orderId: z.string().nullable(),
      journeyId: z.string().nullable(),
      messageType: z.string(),
      recipient: z.string(),
      subject: z.string().nullable(),
      textBody: z.string(),
      htmlBody: z.string().nullable(),
      createdAt: isoInstant,
    }),
  ),
});

export const emailPreviewSchema = z.object({
  locale: z.string(),
  subject: z.string(),
  html: z.string(),
  text: z.string(),
});
export const smsPreviewSchema = z.object({
  locale: z.string(),
  text: z.string(),
  segments: z.number().int(),
  encoding: z.enum(['GSM-7', 'UCS-2']),
});

export const livenessSchema = z.object({ status: z.literal('ok') });
export const readinessSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.record(z.string(), z.string()).describe('Per dependency: "ok" or "unavailable: <reason>"'),
  circuits: z
    .record(z.string(), z.enum(CIRCUIT_STATES))
    .optional()
    .describe(
      "Each messaging provider's circuit breaker (docs/failover.md). Details only: an open circuit fails over, it " +
        'does not make the service unready. Absent when the database cannot say.',
    ),
});

/**
 * What a provider webhook answers when it accepted the request (200: all applied or repeats, 202: some matched
 * nothing).
 */
export const webhookReceiptSchema = z.object({
  received: z.number().int(),
  outcomes: z.array(z.enum(['applied', 'ignored', 'unmatched', 'duplicate'])).optional(),
});

export type JourneyStarted = z.infer<typeof journeyStartedSchema>;
export type JourneyViewBody = z.infer<typeof journeyViewSchema>;
export type OutboxList = z.infer<typeof outboxListSchema>;
export type EmailPreview = z.infer<typeof emailPreviewSchema>;
export type SmsPreview = z.infer<typeof smsPreviewSchema>;

// ---- The schemas above must describe exactly what the code returns: these fail to compile when they drift.

type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function sameType<_Check extends true>(): void {}
sameType<Same<z.infer<typeof journeyViewSchema>, JourneyView>>();
sameType<Same<z.infer<typeof ledgerStatusSchema>, LedgerStatus>>();
sameType<Same<z.infer<typeof shipmentAddedSchema>, ShipmentAdded>>();
sameType<Same<z.infer<typeof returnAcceptedSchema>, ReturnAccepted>>();
sameType<Same<Omit<z.infer<typeof orderCancelledSchema>, 'status'>, OrderCancelled>>();

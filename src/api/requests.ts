/**
 * Request bodies of the journey routes, validated with zod before anything reaches Temporal. Orders have their own
 * schema in src/domain/order.ts.
 *
 * Every rule a schema checks is in the OpenAPI document too: zod's own checks become JSON Schema words (pattern,
 * minLength, enum…); a check JSON Schema has no word for carries its `x-` rule via `.meta()` (`xRules`), so a client
 * generated from the contract sends nothing these schemas refuse (test/api/contract-properties.test.ts).
 */
import { z } from 'zod';
import { orderItemSchema, orderSchema } from '../domain/order';
import { TRACKING_STATUSES } from '../domain/tracking-status';

/**
 * A rule of the contract JSON Schema cannot state, as the `x-rules` extension lists it: `rule` names it for programs,
 * `description` says it for people; `path` (dot-separated, from the schema it is attached to) says where it applies.
 */
export type XRule =
  | { rule: 'phone-number'; path: string; description: string }
  | { rule: 'unique-by'; path: string; key: string; description: string }
  | { rule: 'not-after'; path: string; other: string; description: string }
  /** Two days (YYYY-MM-DD): `other` is at most `days` days after `path`. */
  | { rule: 'within-days-after'; path: string; other: string; days: number; description: string }
  | { rule: 'required-when-contains'; path: string; when: { path: string; contains: string }; description: string }
  | {
      rule: 'allowed-when-equals';
      path: string;
      value: string;
      when: { path: string; equals: string };
      description: string;
    }
  | { rule: 'at-least-one-of'; paths: string[]; description: string };

/** `.meta()` of a schema whose refinements are the rules given. */
export function xRules(...rules: XRule[]): Record<'x-rules', XRule[]> {
  return { 'x-rules': rules };
}

/** `.meta()` of a string whose surrounding whitespace is trimmed before its length and pattern are checked. */
export const TRIMMED = {
  'x-trimmed': true,
  pattern: '\\S',
  description: 'Surrounding whitespace is removed first; the length limits count what is left, which must not be empty',
};

/** Free text support writes (a reason): trimmed, 1–500 characters. */
const reasonText = z.string().trim().min(1).max(500).meta(TRIMMED);

/** An instant with its offset, exactly as the validator reads it (RFC 3339 with seconds; "Z" or "±hh:mm"). */
const instant = z.iso.datetime({ offset: true });
const exactInstant = instant.meta({ pattern: instant._zod.pattern.source });

const sku = orderItemSchema.shape.sku;
const itemLines = z
  .array(z.object({ sku, quantity: z.number().int().positive().max(10_000) }))
  .min(1)
  .max(500);
const trackingNumber = z.string().regex(/^[A-Za-z0-9-]{4,64}$/, 'must be 4–64 letters, digits or "-"');

export const shipmentRequestSchema = z.object({
  carrier: z.string().regex(/^[A-Za-z0-9_-]{2,32}$/, 'must be a carrier code such as "ups" or "dhl"'),
  trackingNumber,
  trackingUrl: z.url().optional(),
  items: itemLines,
  /** For a return parcel: the RMA it belongs to. */
  rmaId: z.string().min(1).max(100).optional(),
});

export const trackingEventRequestSchema = z.object({
  trackingNumber,
  status: z.enum(TRACKING_STATUSES),
  occurredAt: exactInstant,
  eventId: z.string().min(1).max(200).optional(),
  description: z.string().max(500).optional(),
});

export const reviewRequestSchema = z.object({
  sku,
  rating: z.number().int().min(1).max(5),
  text: z.string().max(10_000).optional(),
  reviewId: z.string().min(1).max(200).optional(),
});

export const returnRequestSchema = z.object({ items: itemLines, reason: reasonText });

export const cancelRequestSchema = z.object({ reason: reasonText });

// Customers' preferences and one-click unsubscribe (src/api/routes/preferences.ts, unsubscribe.ts).

export const customerIdParam = z.object({ customerId: orderSchema.shape.customerId });

/** Sets what is given, leaves the rest; unknown fields are refused by name. Recorded as said by support, now. */
export const preferencesUpdateSchema = z
  .strictObject({
    /** Marketing messages (tips, review requests, replenishment reminders): yes or no. */
    marketing: z.boolean().optional(),
    /** Channels the customer accepts messages on; off stops transactional messages on it too. */
    channels: z.strictObject({ email: z.boolean().optional(), sms: z.boolean().optional() }).optional(),
    /** Why, in support's words (kept with the change). */
    reason: reasonText.optional(),
  })
  .refine((b) => b.marketing !== undefined || b.channels?.email !== undefined || b.channels?.sms !== undefined, {
    message: 'is required unless channels.email or channels.sms is given: nothing to change',
    path: ['marketing'],
  })
  .meta(
    xRules({
      rule: 'at-least-one-of',
      paths: ['marketing', 'channels.email', 'channels.sms'],
      description: 'Something to change: marketing, channels.email or channels.sms (a reason alone is refused)',
    }),
  );

/** `v1.<payload>.<signature>`, both base64url (src/domain/unsubscribe-token.ts); the server checks it is ours. */
export const UNSUBSCRIBE_TOKEN_SHAPE = /^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

const tokenMissing = 'is required: use the whole link from the email';
export const unsubscribeQuery = z.object({
  token: z
    .string({ error: tokenMissing })
    .min(1, tokenMissing)
    .max(2_000)
    .regex(UNSUBSCRIBE_TOKEN_SHAPE, 'is incomplete or damaged: use the whole link from the email')
    .meta({
      'x-signed':
        'HMAC-SHA256 by the shop, with an expiry: only tokens from our emails are accepted (else 400 invalid_token)',
    }),
});

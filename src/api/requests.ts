/**
 * Request bodies of the journey routes, validated with zod before anything reaches Temporal. Orders have their own
 * schema in src/domain/order.ts.
 */
import { z } from 'zod';
import { orderItemSchema, orderSchema } from '../domain/order';
import { TRACKING_STATUSES } from '../domain/tracking-status';

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
  occurredAt: z.iso.datetime({ offset: true }),
  eventId: z.string().min(1).max(200).optional(),
  description: z.string().max(500).optional(),
});

export const reviewRequestSchema = z.object({
  sku,
  rating: z.number().int().min(1).max(5),
  text: z.string().max(10_000).optional(),
  reviewId: z.string().min(1).max(200).optional(),
});

export const returnRequestSchema = z.object({
  items: itemLines,
  reason: z.string().trim().min(1).max(500),
});

export const cancelRequestSchema = z.object({
  reason: z.string().trim().min(1).max(500),
});

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
    reason: z.string().trim().min(1).max(500).optional(),
  })
  .refine((b) => b.marketing !== undefined || b.channels?.email !== undefined || b.channels?.sms !== undefined, {
    message: 'is required unless channels.email or channels.sms is given: nothing to change',
    path: ['marketing'],
  });

export const unsubscribeQuery = z.object({
  token: z.string({ error: 'is required: use the whole link from the email' }).min(1, 'is required: use the whole link from the email').max(2_000),
});

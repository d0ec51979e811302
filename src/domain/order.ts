/**
 * An order as checkout sends it: the one schema that validates `POST /v1/orders` and types the journey's input.
 * Workflow code imports only the types from here (`import type`).
 */
import { z } from 'zod';
import { parseBirthDate } from './lifecycle';
import { E164_SHAPE, isE164PhoneNumber, PHONE_NUMBER_RULE } from './phone';
import { postalAddressSchema } from './postal-address';

/** Ids become part of workflow ids and URLs, so keep them to a safe alphabet. */
const externalId = z
  .string()
  .min(1)
  .max(64)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:-]*$/,
    'may contain only letters, digits, ".", "_", ":" and "-", starting with a letter or digit',
  );

/** Money travels as a decimal string ("59.90") so no float ever rounds a price. */
const money = z.string().regex(/^\d{1,12}(\.\d{1,4})?$/, 'must be a decimal amount such as "59.90"');

/** Zones ICU accepted: building an Intl.DateTimeFormat per order was the API's costliest check (issue 10, P1). */
const knownZones = new Set<string>();
const KNOWN_ZONES_LIMIT = 2_000; // ~600 IANA names in a few spellings; bounded so odd input cannot grow it

function isTimeZone(tz: string): boolean {
  if (knownZones.has(tz)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    return false;
  }
  if (knownZones.size < KNOWN_ZONES_LIMIT) knownZones.add(tz);
  return true;
}

const timeZone = z.string().refine(isTimeZone, 'must be an IANA time zone such as "Europe/Riga"').meta({
  format: 'iana-time-zone',
  description: 'An IANA time zone name the ICU data of Node.js knows, e.g. "Europe/Riga" (also "UTC", links, any case)',
});

/** As validated, in the contract too: zod's own patterns (stricter than JSON Schema's "email" and "date-time"). */
const email = z.email();
const instant = z.iso.datetime({ offset: true });

/**
 * A number SMS can go to, as E.164 (src/domain/phone.ts): the shape, and a number that exists in its country's plan.
 */
const phoneNumber = z
  .string()
  .regex(E164_SHAPE, { message: PHONE_NUMBER_RULE, abort: true })
  .refine(isE164PhoneNumber, PHONE_NUMBER_RULE)
  .meta({
    description: "E.164, and a valid number in its country's numbering plan (libphonenumber)",
    examples: ['+37120000000'],
  });

/** A birth date as checkout or support give it: "MM-DD", or "YYYY-MM-DD" when the year is known (lifecycle.ts). */
export const birthDateSchema = z
  .string()
  .regex(/^(\d{4}-)?\d{2}-\d{2}$/, {
    message: 'must be a date written MM-DD (e.g. "07-14") or YYYY-MM-DD (e.g. "1990-07-14")',
    abort: true,
  })
  .superRefine((text, ctx) => {
    const parsed = parseBirthDate(text);
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
  })
  .meta({
    format: 'birth-date',
    // The shape as the contract states it (the validator's own pattern is looser, so a wrong month or day is named).
    pattern: '^(\\d{4}-)?(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$',
    description:
      'Month and day ("MM-DD"), or with the year ("YYYY-MM-DD", 1900–2100); a date that exists (29 February without ' +
      'a year, or in a leap year)',
    examples: ['07-14', '1990-07-14'],
  });

export const channelSchema = z.enum(['email', 'sms']);
export type Channel = z.infer<typeof channelSchema>;

export const orderItemSchema = z.object({
  sku: externalId,
  name: z.string().min(1).max(200),
  quantity: z.number().int().positive().max(10_000),
  unitPrice: money,
  category: z.string().min(1).max(64).optional(),
  /** Days between replenishment reminders for this item; overrides the policy's per-category default. */
  replenishmentIntervalDays: z.number().int().min(1).max(1_000).optional(),
});

export const orderSchema = z
  .object({
    orderId: externalId,
    customerId: externalId,
    email: email.meta({ pattern: email._zod.pattern.source }),
    phone: phoneNumber.optional(),
    name: z.string().min(1).max(200).optional(),
    locale: z.string().min(2).max(35).default('en'),
    timeZone: timeZone.optional(),
    shippingCountry: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as "LV"')
      .optional(),
    /**
     * Where the order went: a return parcel comes back from here (its prepaid return label). Optional: without it an
     * accepted return gets the plain instructions.
     */
    shippingAddress: postalAddressSchema.optional(),
    channels: z.array(channelSchema).min(1).default(['email']),
    /**
     * The customer agreed to marketing messages at checkout (tips, review requests, replenishment reminders). Absent
     * means false: consent is given, never assumed. Counts from `placedAt`; a later opt-out wins, and `false` does not
     * withdraw consent given before (see src/domain/consent.ts). Left optional rather than defaulted so that orders
     * sent before the field existed keep their fingerprint (a repeated start is still recognized).
     */
    marketingConsent: z.boolean().optional(),
    items: z.array(orderItemSchema).min(1).max(500),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as "EUR"'),
    total: money,
    placedAt: instant.meta({ pattern: instant._zod.pattern.source }),
    expectedDelivery: z
      .object({ earliest: z.iso.date(), latest: z.iso.date() })
      .refine((w) => w.earliest <= w.latest, { message: 'earliest must not be after latest', path: ['earliest'] })
      .optional(),
    /** The customer's birth date, when checkout asked for it: the customer's lifecycle sends a birthday greeting. */
    birthDate: birthDateSchema.optional(),
    relatedProducts: z
      .array(z.object({ sku: externalId, name: z.string().min(1).max(200), url: z.url().optional() }))
      .max(6)
      .optional(),
  })
  .superRefine((order, ctx) => {
    if (order.channels.includes('sms') && !order.phone) {
      ctx.addIssue({ code: 'custom', path: ['phone'], message: 'is required when channels include "sms"' });
    }
    const seen = new Set<string>();
    order.items.forEach((item, i) => {
      if (seen.has(item.sku))
        ctx.addIssue({ code: 'custom', path: ['items', i, 'sku'], message: `appears twice ("${item.sku}")` });
      seen.add(item.sku);
    });
  });

export type OrderInput = z.input<typeof orderSchema>;
export type Order = z.infer<typeof orderSchema>;
export type OrderItem = z.infer<typeof orderItemSchema>;

/** The journey's workflow id: one journey per order, whatever happens. */
export function journeyWorkflowId(orderId: string): string {
  return `order-${orderId}`;
}

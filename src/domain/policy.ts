/**
 * Every delay of the journey in one validated object. The workflow receives it in its input, so a running journey keeps
 * the policy it started with. Durations are in days; `secondsPerDay` lets the demo policy turn days into seconds.
 */
import { z } from 'zod';
import { PRODUCTION_LIFECYCLE, type LifecyclePolicy } from './lifecycle';

const days = z.number().positive().max(3_650);

/** A name support uses and customers see: a tier, a category. */
const tierName = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'must be lower case letters, digits and "_" (e.g. "gold")');
const offerCode = z.string().regex(/^[A-Z0-9-]{3,32}$/, 'must be 3–32 capital letters, digits or "-"');

/**
 * The customer's lifecycle (src/workflows/customer-lifecycle.ts): birthday offer, win-back after a quiet spell (per
 * category where the shop says so), loyalty tiers over a window of orders (lowest first; either threshold reaches one).
 */
export const lifecyclePolicySchema = z.strictObject({
  birthdayOfferCode: offerCode.optional(),
  winBackAfterDays: days,
  winBackAfterDaysByCategory: z.record(z.string(), days),
  winBackReminderAfterDays: days,
  loyaltyWindowDays: days,
  loyaltyTiers: z
    .array(
      z
        .strictObject({
          name: tierName,
          minOrders: z.number().int().min(1).max(10_000).optional(),
          minSpend: z.number().positive().max(1e9).optional(),
          offerCode: offerCode.optional(),
        })
        .refine((t) => t.minOrders !== undefined || t.minSpend !== undefined, {
          message: 'needs minOrders or minSpend',
        }),
    )
    .max(6)
    .refine((tiers) => new Set(tiers.map((t) => t.name)).size === tiers.length, { message: 'tier names repeat' }),
}) satisfies z.ZodType<LifecyclePolicy>;

export const journeyPolicySchema = z.object({
  name: z.string().min(1),
  /** 86,400 in production; the demo policy makes a "day" last one second. */
  secondsPerDay: z.number().positive(),
  /** Delivery window promised in the confirmation when checkout sends none, counted from the order date. */
  expectedDeliveryDays: z
    .object({ min: z.number().int().min(0).max(90), max: z.number().int().min(0).max(90) })
    .refine((w) => w.min <= w.max, { message: 'min must not exceed max' }),
  unboxingDelayDays: days,
  /** Review platforms and our own data: ask 7–15 days after the parcel arrives, never earlier or later. */
  reviewRequestDelayDays: z
    .number()
    .min(7, 'must be at least 7 days after delivery')
    .max(15, 'must be at most 15 days after delivery'),
  reviewReminderDelayDays: days,
  /**
   * When no delivery scan arrives: ask for a review this long after the latest expected delivery date plus the review
   * delay.
   */
  reviewFallbackBufferDays: days,
  returnWindowDays: days,
  /** How long an accepted return waits for its parcel before the RMA lapses. */
  returnParcelWaitDays: days.default(30),
  trackingPollIntervalDays: days,
  stalledAfterDays: days,
  replenishmentDaysByCategory: z.record(z.string(), z.number().int().positive().max(1_000)),
  maxUnansweredReplenishmentReminders: z.number().int().min(1).max(12),
  /**
   * How long one hour of a message's retry window lasts (src/domain/send-deadlines.ts): 3,600 s in production; the demo
   * makes it a minute so an outage outlasts a window in minutes. Journeys started before it existed use 3,600.
   */
  secondsPerRetryHour: z.number().positive().max(3_600).default(3_600),
  /** An order not shipped (nor cancelled) this long after checkout closes its journey and goes to support. */
  shipmentDeadlineDays: days.default(30),
  /** At most this many parcels (outbound and return) per order: each costs history, and 20 covers real orders. */
  maxParcels: z.number().int().min(1).max(200).default(20),
  /** The customer's lifecycle messages (birthday, anniversary, win-back, loyalty tiers). */
  lifecycle: lifecyclePolicySchema.default(PRODUCTION_LIFECYCLE),
});

export type JourneyPolicy = z.infer<typeof journeyPolicySchema>;

export const productionPolicy: JourneyPolicy = journeyPolicySchema.parse({
  name: 'production',
  secondsPerDay: 86_400,
  expectedDeliveryDays: { min: 2, max: 5 },
  unboxingDelayDays: 2,
  reviewRequestDelayDays: 10,
  reviewReminderDelayDays: 5,
  reviewFallbackBufferDays: 3,
  returnWindowDays: 30,
  returnParcelWaitDays: 30,
  trackingPollIntervalDays: 1,
  stalledAfterDays: 5,
  replenishmentDaysByCategory: { cosmetics: 70, industrial: 395 },
  maxUnansweredReplenishmentReminders: 3,
});

/** Same journey, one second per day: a person can watch a whole journey in the Temporal UI in a few minutes. */
export const demoPolicy: JourneyPolicy = journeyPolicySchema.parse({
  ...productionPolicy,
  name: 'demo',
  secondsPerDay: 1,
  secondsPerRetryHour: 60,
});

/**
 * Fields laid over a named policy (JOURNEY_POLICY_OVERRIDES): a shop tunes one delay without a release, and the chaos
 * suite keeps business deadlines longer than the faults it injects. Unknown fields are refused, not ignored.
 */
export const journeyPolicyOverridesSchema: z.ZodType<Partial<JourneyPolicy>> = z
  .object(
    // Without their defaults: an override absent from the JSON must leave the named policy's value alone.
    Object.fromEntries(
      Object.entries(journeyPolicySchema.shape).map(([key, field]) => [
        key,
        (field instanceof z.ZodDefault ? field.unwrap() : field).optional(),
      ]),
    ),
  )
  .strict();

export type JourneyPolicyOverrides = Partial<JourneyPolicy>;

/** The named policy with its overrides (already validated by the config). */
export function resolvePolicy(name: 'production' | 'demo', overrides: JourneyPolicyOverrides = {}): JourneyPolicy {
  const base = name === 'demo' ? demoPolicy : productionPolicy;
  return Object.keys(overrides).length ? journeyPolicySchema.parse({ ...base, ...overrides }) : base;
}

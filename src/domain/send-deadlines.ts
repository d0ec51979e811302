/**
 * How long the journey keeps trying to send each message type while a provider (or our own database) is down, before it
 * gives up, records the message as failed (ledger, journey timeline, metric) and — for a transactional message — opens
 * a support case so a person can reach the customer another way. The journey itself always goes on.
 *
 * The rule: keep trying as long as the message is still true and useful. A receipt or an RMA stays valid for days; news
 * about a parcel goes stale within hours (an "out for delivery" SMS after the parcel arrived is worse than none);
 * marketing can always wait for the next message. Pure and dependency-free: workflow code imports it.
 */
import type { MessageType } from './message-types';

/** Hours of retrying per message type (policy hours: the demo policy makes an hour last a minute); one per type. */
export const SEND_DEADLINE_HOURS = {
  confirmation: 72, // the receipt: worth sending days late
  return_accepted: 72, // the RMA and return instructions: the customer needs them to send the parcel
  refund_confirmed: 72,
  cancellation: 72,
  shipped: 24, // the tracking link stays useful until delivery
  ready_for_pickup: 24, // the parcel waits at the pickup point for days
  delivery_problem: 24, // the customer may have to act (re-delivery, pickup)
  tracking_stalled: 24,
  bad_review_apology: 48,
  delivered: 12,
  out_for_delivery: 4, // stale within hours: the parcel will have arrived
  unboxing_tips: 48,
  review_request: 48,
  review_reminder: 24,
  replenishment_reminder: 48,
  birthday: 12, // on the day, or not at all
  anniversary: 24,
  win_back: 48,
  win_back_reminder: 48,
  loyalty_tier: 48,
} as const satisfies Record<MessageType, number>;

const FALLBACK_HOURS = 24;

/**
 * The retry window of a message type in milliseconds, for a policy whose "hour" lasts `secondsPerRetryHour` seconds.
 */
export function sendDeadlineMs(messageType: string, policy: { secondsPerRetryHour?: number }): number {
  const hours = (SEND_DEADLINE_HOURS as Record<string, number>)[messageType] ?? FALLBACK_HOURS;
  return Math.round(hours * (policy.secondsPerRetryHour ?? 3_600) * 1000);
}

/** The longest pause between two attempts of a send (an outage of hours is probed every five minutes). */
export const MAX_RETRY_INTERVAL_MS = 5 * 60_000;

/**
 * The longest pause between attempts for a retry window: a tenth of the window, between one second and five minutes.
 * Temporal gives up as soon as the next pause would end past the window, so a pause as long as a third of the window
 * (five minutes of a three-minute window) gave a message up with most of its window left — sent by nobody though the
 * provider came back in time. With a tenth, the last attempt is never more than a tenth of the window early.
 */
export function retryIntervalCapMs(retryWindowMs: number): number {
  return Math.min(MAX_RETRY_INTERVAL_MS, Math.max(1_000, Math.round(retryWindowMs / 10)));
}

/**
 * What kind of message each message type is, which decides consent, quiet hours and the frequency cap:
 *
 * - Transactional messages are about the order itself (confirmation, shipping, delivery, returns, refunds,
 *   cancellation, replies to the customer). They go out without marketing consent — unless the customer opted out of
 *   the channel entirely (SMS STOP, a hard bounce, a channel turned off in their preferences).
 * - Marketing messages (tips, review requests and reminders, replenishment) need marketing consent, wait for the
 *   customer's quiet hours on every channel, count against the frequency cap, and go in the provider's unsubscribe
 *   group.
 *
 * Quiet hours hold marketing on every channel and, of transactional messages, only SMS that are not urgent. Email never
 * wakes anyone, so transactional email always goes at once.
 *
 * Pure and dependency-free: workflow code imports it.
 */
import type { MessageType } from './message-types';

export type MessageKind = 'transactional' | 'marketing';

/** Every message type the journeys send, classified: a type without a kind does not compile. */
export const MESSAGE_KINDS = {
  confirmation: 'transactional',
  shipped: 'transactional',
  out_for_delivery: 'transactional',
  ready_for_pickup: 'transactional',
  delivered: 'transactional',
  delivery_problem: 'transactional',
  tracking_stalled: 'transactional',
  return_accepted: 'transactional',
  refund_confirmed: 'transactional',
  cancellation: 'transactional',
  bad_review_apology: 'transactional', // an answer to the customer's own review, never a promotion
  unboxing_tips: 'marketing',
  review_request: 'marketing',
  review_reminder: 'marketing',
  replenishment_reminder: 'marketing',
  // The customer's lifecycle (src/workflows/customer-lifecycle.ts). A tier congratulation carries the tier's offer, so
  // it is marketing too: consent, quiet hours and the frequency cap apply to it as a whole.
  birthday: 'marketing',
  anniversary: 'marketing',
  win_back: 'marketing',
  win_back_reminder: 'marketing',
  loyalty_tier: 'marketing',
} as const satisfies Record<MessageType, MessageKind>;

/**
 * SMS that go out at any hour. Delivery status is urgent: the parcel is moving, at the door, or stuck now, and the
 * customer may have to act (be home, fetch it, answer the carrier). So are direct answers to what the customer just did
 * or asked for: the order confirmation, an accepted return (its RMA and instructions), a cancellation (the order will
 * not come). Everything else transactional — a stalled-parcel notice, a refund confirmation, a reply to a review — can
 * wait for the morning; marketing always waits. A type left out waits (the safe side).
 */
const URGENT_SMS: ReadonlySet<string> = new Set<MessageType>([
  'confirmation',
  'shipped',
  'out_for_delivery',
  'ready_for_pickup',
  'delivered',
  'delivery_problem',
  'return_accepted',
  'cancellation',
]);

export function messageKind(messageType: string): MessageKind {
  // Unknown types count as marketing: the stricter rules (consent, quiet hours) are the safe side.
  return (MESSAGE_KINDS as Record<string, MessageKind>)[messageType] ?? 'marketing';
}

export function isMarketing(messageType: string): boolean {
  return messageKind(messageType) === 'marketing';
}

/** Whether this message waits for the recipient's quiet hours to end before going out on this channel. */
export function waitsForQuietHours(messageType: string, channel: 'email' | 'sms'): boolean {
  if (isMarketing(messageType)) return true;
  return channel === 'sms' && !URGENT_SMS.has(messageType);
}

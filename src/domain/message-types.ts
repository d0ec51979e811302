/**
 * Every message type the journeys send, named once. Each catalogue keyed by message type is declared with
 * `satisfies Record<MessageType, …>` (or a mapped type over it), so a name added here does not compile until every one
 * of them has it: kind (message-kinds.ts), retry window (send-deadlines.ts), data, copy schema, sample, email and SMS
 * (src/templates/), and the copy in each locale. The steps are in the README, "Add a message type".
 *
 * Pure and dependency-free: workflow code imports it.
 */
const NAMES = [
  'confirmation',
  'shipped',
  'out_for_delivery',
  'ready_for_pickup',
  'delivered',
  'delivery_problem',
  'tracking_stalled',
  'unboxing_tips',
  'review_request',
  'review_reminder',
  'bad_review_apology',
  'replenishment_reminder',
  'return_accepted',
  'refund_confirmed',
  'cancellation',
  'birthday',
  'anniversary',
  'win_back',
  'win_back_reminder',
  'loyalty_tier',
] as const;

export type MessageType = (typeof NAMES)[number];

/** In this order in previews, the OpenAPI enum and test names. */
export const MESSAGE_TYPES: MessageType[] = [...NAMES];

export function isMessageType(value: string): value is MessageType {
  return (NAMES as readonly string[]).includes(value);
}

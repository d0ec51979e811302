/**
 * Transactional messages are about the order itself and always go out; marketing messages (tips, review requests,
 * replenishment) need consent and go in the provider's unsubscribe group.
 */
const MARKETING = new Set(['unboxing_tips', 'review_request', 'review_reminder', 'replenishment_reminder']);

export function isMarketing(messageType: string): boolean {
  return MARKETING.has(messageType);
}

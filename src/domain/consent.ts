/**
 * Whether a customer may get a message, from what they told us: per customer (src/db/preferences.ts) — marketing
 * yes/no, and channels they turned off — and what checkout recorded with each order (`marketingConsent`).
 *
 * Rules:
 * - The latest statement wins. Consent given at checkout counts from the order's `placedAt`; an opt-out (unsubscribe
 *   link, support, a preferences update) from when it was made. So an opt-out stops marketing for every journey already
 *   running, and a later order whose checkout asks again can turn it back on.
 * - No statement at all means no marketing: consent must be given, never assumed (an order without
 *   `marketingConsent`, or with `false`, gives none; `false` is "not ticked", not a withdrawal of earlier consent).
 * - A channel the customer turned off gets nothing, transactional included (as SMS STOP does for a phone number).
 * Address-level refusals (SMS STOP, bounces: src/db/consent.ts) are checked separately, before these.
 */
import type { Channel } from './order';
import { isMarketing } from './message-kinds';

export type PreferenceTopic = 'marketing' | Channel;
export type PreferenceStatus = 'opted_in' | 'opted_out';

export interface PreferenceStatement {
  status: PreferenceStatus;
  /** Who recorded it, e.g. "checkout:order 1001", "unsubscribe-link:email", "support". */
  source: string;
  reason: string | null;
  /** When the customer said so. */
  at: Date;
}

export type CustomerStatements = Partial<Record<PreferenceTopic, PreferenceStatement>>;

/** What checkout recorded with an order: consent to marketing, as of when the order was placed. */
export interface CheckoutConsent {
  orderId: string;
  marketing: boolean;
  /** The order's `placedAt` (ISO instant). */
  at: string;
}

export type SkipCode = 'channel_opted_out' | 'marketing_opted_out' | 'no_marketing_consent';

export type SendVerdict = { send: true } | { send: false; code: SkipCode; reason: string };

/** The checkout consent as a statement (only a "yes" is one). */
export function checkoutStatement(checkout: CheckoutConsent | undefined): PreferenceStatement | undefined {
  if (!checkout?.marketing) return undefined;
  return {
    status: 'opted_in',
    source: `checkout:order ${checkout.orderId}`,
    reason: 'ticked at checkout',
    at: new Date(checkout.at),
  };
}

/** The newer of two statements; the recorded one when they are equally old. */
export function latest(
  recorded: PreferenceStatement | undefined,
  other: PreferenceStatement | undefined,
): PreferenceStatement | undefined {
  if (!recorded) return other;
  if (!other) return recorded;
  return other.at.getTime() > recorded.at.getTime() ? other : recorded;
}

/** Whether marketing may go to this customer now. */
export function marketingVerdict(statements: CustomerStatements, checkout?: CheckoutConsent): SendVerdict {
  const statement = latest(statements.marketing, checkoutStatement(checkout));
  if (!statement)
    return { send: false, code: 'no_marketing_consent', reason: 'the customer has not agreed to marketing messages' };
  if (statement.status === 'opted_out') {
    return {
      send: false,
      code: 'marketing_opted_out',
      reason: `the customer opted out of marketing (${statement.source}, ${statement.at.toISOString()})`,
    };
  }
  return { send: true };
}

/** Whether this message may go to this customer on this channel, by their preferences. */
export function sendVerdict(
  statements: CustomerStatements,
  message: { messageType: string; channel: Channel },
  checkout?: CheckoutConsent,
): SendVerdict {
  const channel = statements[message.channel];
  if (channel?.status === 'opted_out') {
    return {
      send: false,
      code: 'channel_opted_out',
      reason: `the customer turned off ${message.channel} messages (${channel.source})`,
    };
  }
  return isMarketing(message.messageType) ? marketingVerdict(statements, checkout) : { send: true };
}

/**
 * The customer's lifecycle messages: which are due next (birthday, anniversary, win-back and its reminder) and how
 * each goes — through the journeys' one sender (send.ts): ledger per step, consent, quiet hours and the frequency cap,
 * exactly as every marketing message. A message that cannot go (opted out, gave up) is recorded and never due again.
 */
import { workflowInfo } from '@temporalio/workflow';
import { latestOf } from '../../domain/durations';
import { customerWorkflowId, nextAnniversary, nextBirthday, nextWinBack } from '../../domain/lifecycle';
import type { Channel } from '../../domain/order';
import type { CustomerMessage } from '../../templates/types';
import { isoNow as now } from '../clock';
import type { CustomerContact } from '../definitions';
import { sendMessage, type Correspondent } from '../send';
import type { Customer, UpcomingMessage } from './customer-state';

/** The next birthday, anniversary and win-back, soonest first (none until the customer's first order). */
export function upcomingMessages(customer: Customer): UpcomingMessage[] {
  const { state, policy } = customer;
  const last = customer.lastOrder();
  if (!state.contact || !last) return [];
  const zones = state.contact.zones.zones;
  const upcoming: UpcomingMessage[] = [];
  const birthday = state.birthDate && nextBirthday(state.birthDate, now(), zones, policy, state.greetedBirthdays);
  if (birthday)
    upcoming.push({
      step: `birthday-${birthday.occurrence}`,
      messageType: 'birthday',
      description: `birthday greeting on ${birthday.date} (local)`,
      dueAt: birthday.dueAt,
      occurrence: birthday.occurrence,
    });
  const anniversary =
    state.customerSince && nextAnniversary(state.customerSince, now(), zones, policy, state.anniversariesSent);
  if (anniversary)
    upcoming.push({
      step: `anniversary-${anniversary.occurrence}`,
      messageType: 'anniversary',
      description: `account anniversary ${anniversary.occurrence} on ${anniversary.date} (local)`,
      dueAt: anniversary.dueAt,
      occurrence: anniversary.occurrence,
    });
  // An order told late (placed long ago) starts the quiet spell when it arrives, not in the past.
  const quietSince = { placedAt: latestOf([last.placedAt, last.knownAt]), categories: last.categories };
  const winBack = nextWinBack(quietSince, state.winBacksSent, policy);
  if (winBack)
    upcoming.push({
      step: `win-back-${last.orderId}-${winBack.number}`,
      messageType: winBack.number === 1 ? 'win_back' : 'win_back_reminder',
      description: `${winBack.number === 1 ? 'win-back' : 'win-back reminder'} if no order since ${last.orderId}`,
      dueAt: winBack.dueAt,
      occurrence: winBack.number,
    });
  return upcoming.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}

/**
 * Sends a due lifecycle message and marks it done, whatever became of it. A win-back still waiting for its slot when
 * an order arrives is not sent (the order resets the clock).
 */
export async function sendLifecycleMessage(customer: Customer, message: UpcomingMessage): Promise<void> {
  const lastOrderId = customer.lastOrder()?.orderId;
  const isWinBack = message.messageType === 'win_back' || message.messageType === 'win_back_reminder';
  const stillWanted = () => !isWinBack || (!customer.hasOrderNews() && customer.lastOrder()?.orderId === lastOrderId);
  customer.markDone(message);
  const result = await sendMessage(
    customerCorrespondent(customer),
    recipientsOf(customer.state.contact!),
    message.step,
    messageOf(customer, message),
    { stillWanted },
  );
  if (result === 'not_wanted') customer.record(`${message.messageType.replace(/_/g, ' ')} dropped: a new order came`);
}

/** The congratulation for a tier the customer just reached (marketing: it carries the tier's offer). */
export async function sendTierCongratulation(
  customer: Customer,
  tier: { name: string; offerCode?: string },
  orderId: string,
): Promise<void> {
  await sendMessage(
    customerCorrespondent(customer),
    recipientsOf(customer.state.contact!),
    `tier-${tier.name}-${orderId}`,
    {
      messageType: 'loyalty_tier',
      data: { order: orderRef(customer), tier: tier.name, ...(tier.offerCode ? { offerCode: tier.offerCode } : {}) },
    },
  );
}

function messageOf(customer: Customer, message: UpcomingMessage): CustomerMessage {
  const order = orderRef(customer);
  const offerCode = customer.policy.lifecycle.birthdayOfferCode;
  switch (message.messageType) {
    case 'birthday':
      return { messageType: 'birthday', data: { order, ...(offerCode ? { offerCode } : {}) } };
    case 'anniversary':
      return { messageType: 'anniversary', data: { order, years: message.occurrence } };
    case 'win_back':
    case 'win_back_reminder':
      return { messageType: message.messageType, data: { order } };
  }
}

/** The latest order as the messages' reference: the customer's name and language, an order to mention to support. */
function orderRef(customer: Customer) {
  const contact = customer.state.contact!;
  return {
    orderId: customer.lastOrder()!.orderId,
    locale: contact.locale,
    ...(contact.name ? { name: contact.name } : {}),
    ...(contact.timeZone ? { timeZone: contact.timeZone } : {}),
  };
}

/** The customer's channels (SMS only with a phone number; email when nothing else is left). */
function recipientsOf(contact: CustomerContact): [Channel, string][] {
  const recipients: [Channel, string][] = [];
  if (contact.channels.includes('email')) recipients.push(['email', contact.email]);
  if (contact.channels.includes('sms') && contact.phone) recipients.push(['sms', contact.phone]);
  return recipients.length ? recipients : [['email', contact.email]];
}

/**
 * The customer workflow as the shared sender's correspondent: outcomes and waits in its state and timeline. Its ledger
 * and outbox rows name the customer's workflow, not an order: they are about the customer (an order's own messages,
 * e.g. in GET /v1/orders/:id/journey, stay the order's).
 */
function customerCorrespondent(customer: Customer): Correspondent {
  const { state, policy } = customer;
  const contact = state.contact!;
  const last = customer.lastOrder()!;
  return {
    orderId: customerWorkflowId(state.customerId),
    recipient: {
      customerId: state.customerId,
      journeyId: workflowInfo().workflowId,
      zones: contact.zones,
      checkoutConsent: { orderId: last.orderId, marketing: contact.marketingConsent, at: last.placedAt },
      policy,
    },
    policy,
    recordMessage: (outcome) => customer.recordMessage(outcome),
    record: (event) => customer.record(event),
    planStep: (step, description, dueAt) =>
      customer.record(`${step} waits: ${description}${dueAt ? ` until ${dueAt.slice(0, 16)} UTC` : ''}`),
    unplan: () => {},
  };
}

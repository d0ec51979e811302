/**
 * Sends one journey message to the customer on their channels, through the ledger, and records the outcome.
 *
 * Marketing first waits for its reserved slot (consent, quiet hours, frequency cap); a transactional SMS that is not
 * urgent waits for the customer's quiet hours; everything else goes at once (src/domain/message-kinds.ts says which is
 * which). Whether the customer may get it at all is decided by the send activity at send time, so an opt-out made while
 * the message waited still stops it, and the skip is recorded with its reason in the ledger and the journey.
 */
import { workflowInfo } from '@temporalio/workflow';
import type { MessageOutcome, SendCustomerMessageInput } from '../activities';
import type { CheckoutConsent } from '../domain/consent';
import { isMarketing, waitsForQuietHours } from '../domain/message-kinds';
import type { Channel, Order } from '../domain/order';
import { recipientZones } from '../domain/recipient-zones';
import { sendDeadlineMs } from '../domain/send-deadlines';
import type { CustomerMessage } from '../templates/types';
import { messageRecords, messagingFor } from './activity-stubs';
import type { Journey } from './journey';
import { escalate } from './steps/escalations';
import { sendTimingApplies, waitForMarketingSlot, waitForQuietHours, type Recipient } from './send-timing';

export interface SendOptions {
  /** Channels to use instead of the customer's preferences (the confirmation always emails the receipt). */
  channels?: [Channel, string][];
  /**
   * For a message that may wait (marketing): asked while it waits and once more before it goes; false → it is not sent
   * (e.g. the customer reviewed or returned every item meanwhile).
   */
  stillWanted?: () => boolean;
}

/**
 * `step` names the message within the journey (e.g. "shipment:1Z999:delivered"): the ledger sends each step once per
 * channel, however often this is called.
 */
export async function sendToCustomer(journey: Journey, step: string, message: CustomerMessage, options: SendOptions = {}): Promise<void> {
  const recipients = options.channels ?? journey.channels();
  if (!sendTimingApplies()) {
    // As journeys sent before consent, quiet hours and the frequency cap (replays of their histories).
    const outcomes = await Promise.all(
      recipients.map(([channel, to]) => deliver(journey, { journeyId: workflowInfo().workflowId, orderId: journey.order.orderId, step, channel, to, message })),
    );
    outcomes.forEach((outcome) => journey.recordMessage(outcome));
    return;
  }

  const { messageType } = message;
  const recipient = recipientOf(journey);
  const { stillWanted } = options;
  if (isMarketing(messageType)) {
    await waitForMarketingSlot(recipient, step, messageType, journey, stillWanted ? { interrupted: () => !stillWanted() } : {});
    if (stillWanted && !stillWanted()) {
      journey.record(`${messageType.replace(/_/g, ' ')} not sent: no longer needed`);
      return;
    }
  }
  const send = ([channel, to]: [Channel, string]) =>
    deliver(journey, {
      journeyId: workflowInfo().workflowId,
      orderId: journey.order.orderId,
      step,
      channel,
      to,
      message,
      customerId: recipient.customerId,
      checkoutConsent: recipient.checkoutConsent,
    });
  // A transactional SMS that is not urgent waits for the morning on its own: the email goes (and is recorded) meanwhile.
  const waits = ([channel]: [Channel, string]) => !isMarketing(messageType) && waitsForQuietHours(messageType, channel);
  await Promise.all([
    Promise.all(recipients.filter((r) => !waits(r)).map(send)).then((outcomes) => outcomes.forEach((o) => journey.recordMessage(o))),
    ...recipients.filter(waits).map(async (r) => {
      await waitForQuietHours(recipient, step, messageType, journey);
      journey.recordMessage(await send(r));
    }),
  ]);
}

/**
 * One message on one channel: the send activity, retried for the message type's window. When the window runs out (a
 * provider or PostgreSQL down that long, a template that throws) the journey gives up on this message only: the ledger
 * says "gave_up", the journey's timeline shows it, and a transactional message becomes a support case. Never an error.
 */
async function deliver(journey: Journey, input: SendCustomerMessageInput): Promise<MessageOutcome> {
  const { channel, message } = input;
  try {
    return await messagingFor(channel, sendDeadlineMs(message.messageType, journey.policy)).sendCustomerMessage.executeWithOptions(
      { summary: `send ${label(message.messageType)} ${channel}` },
      [input],
    );
  } catch (err) {
    return giveUp(journey, input, failureReason(err));
  }
}

async function giveUp(journey: Journey, { journeyId, orderId, step, channel, message }: SendCustomerMessageInput, reason: string): Promise<MessageOutcome> {
  const { messageType } = message;
  let outcome: MessageOutcome;
  try {
    outcome = await messageRecords.recordUndeliverable.executeWithOptions({ summary: `record ${label(messageType)} ${channel} as not sent` }, [
      { journeyId, orderId, step, channel, messageType, reason },
    ]);
  } catch (err) {
    // PostgreSQL down for a week: the journey's own record is all there is.
    const why = `${reason}; the ledger could not be updated either (${failureReason(err)})`;
    outcome = { ledgerId: '', step, channel, messageType, status: 'failed', alreadyRecorded: false, error: { code: 'gave_up', message: why } };
  }
  if (outcome.status === 'failed' && !isMarketing(messageType)) {
    await escalate(journey, `message:${step}:${channel}`, 'message_not_sent', `The ${label(messageType)} ${channel} could not be sent: ${reason}`);
  }
  return outcome;
}

/** What an activity failure says, deepest cause first (a timeout says which; a provider error says its code). */
export function failureReason(err: unknown): string {
  let deepest = err as { message?: string; cause?: unknown } | undefined;
  while (deepest?.cause && typeof deepest.cause === 'object') deepest = deepest.cause as typeof deepest;
  return (deepest?.message || 'unknown failure').slice(0, 300);
}

function label(messageType: string): string {
  return messageType.replace(/_/g, ' ');
}

/** The order's customer as sending needs them: where they are (quiet hours) and what checkout recorded (consent). */
function recipientOf(journey: Journey): Recipient {
  const { order } = journey;
  return {
    customerId: order.customerId,
    journeyId: workflowInfo().workflowId,
    zones: recipientZones(order),
    checkoutConsent: checkoutConsentOf(order),
    policy: journey.policy,
  };
}

export function checkoutConsentOf(order: Pick<Order, 'orderId' | 'marketingConsent' | 'placedAt'>): CheckoutConsent {
  return { orderId: order.orderId, marketing: order.marketingConsent === true, at: order.placedAt };
}

/** The order reference every message carries. */
export function orderRef(journey: Journey) {
  const { orderId, name, locale } = journey.order;
  return { orderId, name, locale };
}

/** Items by sku, with names, as messages show them. */
export function itemRefs(journey: Journey, lines: { sku: string; quantity?: number }[]) {
  const bySku = new Map(journey.order.items.map((i) => [i.sku, i]));
  return lines.map((l) => ({ sku: l.sku, name: bySku.get(l.sku)?.name ?? l.sku, quantity: l.quantity, category: bySku.get(l.sku)?.category }));
}

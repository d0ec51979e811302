/**
 * Sends one journey message to the customer on their channels, through the ledger, and records the outcome.
 *
 * Marketing first waits for its reserved slot (consent, quiet hours, frequency cap); a transactional SMS that is not
 * urgent waits for the customer's quiet hours; everything else goes at once (src/domain/message-kinds.ts says which is
 * which). Whether the customer may get it at all is decided by the send activity at send time, so an opt-out made while
 * the message waited still stops it, and the skip is recorded with its reason in the ledger and the journey.
 */
import { workflowInfo } from '@temporalio/workflow';
import type { CheckoutConsent } from '../domain/consent';
import { isMarketing, waitsForQuietHours } from '../domain/message-kinds';
import type { Channel, Order } from '../domain/order';
import { recipientZones } from '../domain/recipient-zones';
import type { CustomerMessage } from '../templates/types';
import { messagingFor } from './activity-stubs';
import type { Journey } from './journey';
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
      recipients.map(([channel, to]) =>
        messagingFor(channel).sendCustomerMessage.executeWithOptions({ summary: `send ${message.messageType.replace(/_/g, ' ')} ${channel}` }, [
          { journeyId: workflowInfo().workflowId, orderId: journey.order.orderId, step, channel, to, message },
        ]),
      ),
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
    messagingFor(channel).sendCustomerMessage.executeWithOptions({ summary: `send ${messageType.replace(/_/g, ' ')} ${channel}` }, [
      { journeyId: workflowInfo().workflowId, orderId: journey.order.orderId, step, channel, to, message, customerId: recipient.customerId, checkoutConsent: recipient.checkoutConsent },
    ]);
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

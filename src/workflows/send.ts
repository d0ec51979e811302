/** Sends one journey message to the customer on their channels, through the ledger, and records the outcome. */
import { workflowInfo } from '@temporalio/workflow';
import type { Channel } from '../domain/order';
import type { CustomerMessage } from '../templates/types';
import { messagingFor } from './activities';
import type { Journey } from './journey';

export interface SendOptions {
  /** Channels to use instead of the customer's preferences (the confirmation always emails the receipt). */
  channels?: [Channel, string][];
}

/**
 * `step` names the message within the journey (e.g. "shipment:1Z999:delivered"): the ledger sends each step once per
 * channel, however often this is called.
 */
export async function sendToCustomer(journey: Journey, step: string, message: CustomerMessage, options: SendOptions = {}): Promise<void> {
  const recipients = options.channels ?? journey.channels();
  const outcomes = await Promise.all(
    recipients.map(([channel, to]) =>
      messagingFor(channel).sendCustomerMessage.executeWithOptions({ summary: `send ${message.messageType.replace(/_/g, ' ')} ${channel}` }, [
        { journeyId: workflowInfo().workflowId, orderId: journey.order.orderId, step, channel, to, message },
      ]),
    ),
  );
  outcomes.forEach((outcome) => journey.recordMessage(outcome));
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

/**
 * The one sender of customer messages, for order journeys and replenishment chains alike: channels, consent, quiet
 * hours, the marketing cap, the ledger, the retry window and its give-up, the record of each outcome.
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
import { sendDeadlineMs } from '../domain/send-deadlines';
import type { CustomerMessage } from '../templates/types';
import { messageRecords, messagingFor } from './activity-stubs';
import type { Journey } from './journey';
import { escalate } from './steps/escalations';
import {
  sendTimingApplies,
  waitForMarketingSlot,
  waitForQuietHours,
  type Recipient,
  type WaitReporter,
} from './send-timing';
import { zonesOf } from './zones';

/** Whom messages go out for — an order's journey or a replenishment chain — and where their outcomes are recorded. */
export interface Correspondent extends WaitReporter {
  /** The order the messages are about (ledger, outbox). */
  orderId: string;
  /** The customer as timing and consent need them. */
  recipient: Recipient;
  /** The message types' retry windows are in this policy's hours. */
  policy: { secondsPerRetryHour?: number };
  /** What became of a message on one channel. */
  recordMessage(outcome: MessageOutcome): void;
  /** A transactional message that could not be sent: a person takes over (a support case). */
  escalate?(caseKey: string, kind: string, summary: string): Promise<void>;
  /**
   * For histories from before this sender recorded give-ups in the ledger (replenishment chains): how a send that
   * failed for good was handled then. Undefined: recorded as given up, as every message now is.
   */
  failedAsBefore?(err: unknown, input: SendCustomerMessageInput): MessageOutcome | undefined;
}

export interface SendOptions {
  /**
   * For a message that may wait (marketing): asked while it waits and once more before it goes; false → it is not sent
   * (e.g. the customer reviewed or returned every item meanwhile).
   */
  stillWanted?: () => boolean;
  /**
   * False: `stillWanted` only ends the wait early, and a message whose wait ran its course goes without being asked
   * again (replenishment reminders, as they always did).
   */
  askAgainWhenDue?: boolean;
}

/** Each channel's outcome, or 'not_wanted' when `stillWanted` said no before the message went. */
export type SendResult = MessageOutcome[] | 'not_wanted';

/**
 * Sends one message to `recipients`. `step` names the message within the workflow (e.g.
 * "shipment:1Z999:delivered"): the ledger sends each step once per channel, however often this is called.
 */
export async function sendMessage(
  sender: Correspondent,
  recipients: [Channel, string][],
  step: string,
  message: CustomerMessage,
  { stillWanted, askAgainWhenDue = true }: SendOptions = {},
): Promise<SendResult> {
  const input = ([channel, to]: [Channel, string]): SendCustomerMessageInput => ({
    journeyId: workflowInfo().workflowId,
    orderId: sender.orderId,
    step,
    channel,
    to,
    message,
  });
  if (!sendTimingApplies()) {
    // As sent before consent, quiet hours and the frequency cap (replays of those histories).
    const outcomes = await Promise.all(recipients.map((r) => deliver(sender, input(r))));
    outcomes.forEach((outcome) => sender.recordMessage(outcome));
    return outcomes;
  }

  const { messageType } = message;
  const { recipient } = sender;
  if (isMarketing(messageType)) {
    const interrupted = stillWanted ? { interrupted: () => !stillWanted() } : {};
    const due = await waitForMarketingSlot(recipient, step, messageType, sender, interrupted);
    if (!due || (askAgainWhenDue && stillWanted && !stillWanted())) {
      sender.record(`${label(messageType)} not sent: no longer needed`);
      return 'not_wanted';
    }
  }
  const { customerId, checkoutConsent } = recipient;
  const send = (r: [Channel, string]) => deliver(sender, { ...input(r), customerId, checkoutConsent });
  // A transactional SMS that is not urgent waits for the morning on its own: the email goes (and is recorded)
  // meanwhile.
  const waits = ([channel]: [Channel, string]) => !isMarketing(messageType) && waitsForQuietHours(messageType, channel);
  const outcomes: MessageOutcome[] = [];
  const recorded = (outcome: MessageOutcome) => {
    sender.recordMessage(outcome);
    outcomes.push(outcome);
  };
  await Promise.all([
    Promise.all(recipients.filter((r) => !waits(r)).map(send)).then((sent) => sent.forEach(recorded)),
    ...recipients.filter(waits).map(async (r) => {
      await waitForQuietHours(recipient, step, messageType, sender);
      recorded(await send(r));
    }),
  ]);
  return outcomes;
}

/** A message of the order's journey, on the customer's channels (or `channels`). */
export async function sendToCustomer(
  journey: Journey,
  step: string,
  message: CustomerMessage,
  options: SendOptions & { channels?: [Channel, string][] } = {},
): Promise<void> {
  await sendMessage(journeyCorrespondent(journey), options.channels ?? journey.channels(), step, message, options);
}

/** The order's journey as a correspondent: outcomes in its view and timeline, support cases for lost messages. */
function journeyCorrespondent(journey: Journey): Correspondent {
  const { order, policy } = journey;
  return {
    orderId: order.orderId,
    recipient: {
      customerId: order.customerId,
      journeyId: workflowInfo().workflowId,
      zones: zonesOf(order, journey.input.zones),
      checkoutConsent: checkoutConsentOf(order),
      policy,
    },
    policy,
    recordMessage: (outcome) => journey.recordMessage(outcome),
    record: (event) => journey.record(event),
    planStep: (step, description, dueAt) => journey.planStep(step, description, dueAt),
    unplan: (step) => journey.unplan(step),
    escalate: (caseKey, kind, summary) => escalate(journey, caseKey, kind, summary),
  };
}

/**
 * One message on one channel: the send activity, retried for the message type's window. When the window runs out (a
 * provider or PostgreSQL down that long, a template that throws) the sender gives up on this message only: the ledger
 * says "gave_up" (and the worker's metric counts it), the outcome is recorded, and a transactional message becomes a
 * support case. Never an error.
 */
async function deliver(sender: Correspondent, input: SendCustomerMessageInput): Promise<MessageOutcome> {
  const { channel, message } = input;
  try {
    return await messagingFor(
      channel,
      sendDeadlineMs(message.messageType, sender.policy),
    ).sendCustomerMessage.executeWithOptions({ summary: `send ${label(message.messageType)} ${channel}` }, [input]);
  } catch (err) {
    return sender.failedAsBefore?.(err, input) ?? giveUp(sender, input, failureReason(err));
  }
}

async function giveUp(
  sender: Correspondent,
  { journeyId, orderId, step, channel, message }: SendCustomerMessageInput,
  reason: string,
): Promise<MessageOutcome> {
  const { messageType } = message;
  let outcome: MessageOutcome;
  try {
    outcome = await messageRecords.recordUndeliverable.executeWithOptions(
      { summary: `record ${label(messageType)} ${channel} as not sent` },
      [{ journeyId, orderId, step, channel, messageType, reason }],
    );
  } catch (err) {
    // PostgreSQL down for a week: the workflow's own record is all there is.
    const why = `${reason}; the ledger could not be updated either (${failureReason(err)})`;
    outcome = {
      ledgerId: '',
      step,
      channel,
      messageType,
      status: 'failed',
      alreadyRecorded: false,
      error: { code: 'gave_up', message: why },
    };
  }
  if (outcome.status === 'failed' && !isMarketing(messageType) && sender.escalate) {
    await sender.escalate(
      `message:${step}:${channel}`,
      'message_not_sent',
      `The ${label(messageType)} ${channel} could not be sent: ${reason}`,
    );
  }
  return outcome;
}

/** What an activity failure says, deepest cause first (a timeout says which; a provider error says its code). */
export function failureReason(err: unknown): string {
  let deepest = err as { message?: string; cause?: unknown } | undefined;
  while (deepest?.cause && typeof deepest.cause === 'object') deepest = deepest.cause;
  return (deepest?.message || 'unknown failure').slice(0, 300);
}

function label(messageType: string): string {
  return messageType.replace(/_/g, ' ');
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
  return lines.map((l) => ({
    sku: l.sku,
    name: bySku.get(l.sku)?.name ?? l.sku,
    quantity: l.quantity,
    category: bySku.get(l.sku)?.category,
  }));
}

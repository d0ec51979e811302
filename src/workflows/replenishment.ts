/**
 * Replenishment reminders for one customer and one item (`replenish-<customerId>-<sku>`), outliving the orders that
 * start it. Each cycle waits the item's interval and sends a reorder reminder; a reorder starts the wait over; after
 * the policy's number of unanswered reminders it stops. Every cycle continues as new, so history never grows.
 *
 * A reminder is marketing: it waits for its reserved slot (consent, the customer's quiet hours, at most one marketing
 * message a day across all their journeys) before it goes; a reorder or a stop during that wait cancels it.
 */
import { condition, continueAsNew, setCurrentDetails, setHandler, upsertSearchAttributes, workflowInfo, allHandlersFinished } from '@temporalio/workflow';
import { daysToMs } from '../domain/durations';
import type { Channel } from '../domain/order';
import { recipientZones } from '../domain/recipient-zones';
import { messagingFor } from './activity-stubs';
import { isoNow as now } from './clock';
import { reorderedSignal, replenishmentStopSignal, type Reordered, type ReplenishmentContact } from './definitions';
import { JourneyStageKey } from './search-attributes';
import { sendTimingApplies, waitForMarketingSlot, type Recipient, type WaitReporter } from './send-timing';

export interface ReplenishmentInput {
  customerId: string;
  sku: string;
  itemName: string;
  intervalDays: number;
  policy: { name: string; secondsPerDay: number; maxUnansweredReplenishmentReminders: number };
  /** The order this cycle counts from (the latest order of the item). */
  orderId: string;
  contact: ReplenishmentContact;
  /** Reminders sent so far, across runs: numbers each reminder's ledger step. */
  remindersSent: number;
  /** Reminders sent since the last order. */
  unanswered: number;
}

export interface ReplenishmentOutcome {
  stoppedBecause: 'unanswered' | 'returned' | string;
  remindersSent: number;
}

export async function replenishment(input: ReplenishmentInput): Promise<ReplenishmentOutcome> {
  let reorder: Reordered | undefined;
  let stop: string | undefined;
  setHandler(reorderedSignal, (r) => {
    reorder = r;
  });
  setHandler(replenishmentStopSignal, ({ orderId, reason }) => {
    // A return of an older order does not stop reminders a newer order started.
    if (orderId === input.orderId) stop = reason;
  });

  const max = input.policy.maxUnansweredReplenishmentReminders;
  const intervalMs = daysToMs(input.policy, input.intervalDays);
  const dueAt = new Date(Date.parse(now()) + intervalMs).toISOString();
  upsertSearchAttributes([{ key: JourneyStageKey, value: 'replenishing' }]);
  setCurrentDetails(
    `**Replenishment** of ${input.sku} (${input.itemName}) every ${input.intervalDays} days\n\n` +
      `- counting from order ${input.orderId}\n- next reminder: ${dueAt.slice(0, 16).replace('T', ' ')} UTC\n` +
      `- unanswered reminders: ${input.unanswered} of ${max}`,
  );

  const interrupted = await condition(() => reorder !== undefined || stop !== undefined, intervalMs, {
    summary: `reorder reminder for ${input.sku} in ${input.intervalDays} days`,
  });
  if (!interrupted) {
    const reminder = input.remindersSent + 1;
    const recipients: [Channel, string][] = [];
    if (input.contact.channels.includes('email')) recipients.push(['email', input.contact.email]);
    if (input.contact.channels.includes('sms') && input.contact.phone) recipients.push(['sms', input.contact.phone]);
    if (!recipients.length) recipients.push(['email', input.contact.email]);
    const timed = sendTimingApplies();
    const recipient = recipientOf(input);
    const goes = !timed || (await waitForMarketingSlot(recipient, `reminder-${reminder}`, 'replenishment_reminder', waitReporter(input), {
      interrupted: () => reorder !== undefined || stop !== undefined,
    }));
    if (goes) {
      await Promise.all(
        recipients.map(([channel, to]) =>
          messagingFor(channel).sendCustomerMessage.executeWithOptions({ summary: `send replenishment reminder ${channel}` }, [
            {
              journeyId: workflowInfo().workflowId,
              orderId: input.orderId,
              step: `reminder-${reminder}`,
              channel,
              to,
              message: {
                messageType: 'replenishment_reminder',
                data: { order: { orderId: input.orderId, name: input.contact.name, locale: input.contact.locale }, item: { sku: input.sku, name: input.itemName } },
              },
              ...(timed ? { customerId: recipient.customerId, checkoutConsent: recipient.checkoutConsent } : {}),
            },
          ]),
        ),
      );
      input = { ...input, remindersSent: reminder, unanswered: input.unanswered + 1 };
    }
  }

  await condition(allHandlersFinished);
  if (stop !== undefined) return { stoppedBecause: stop, remindersSent: input.remindersSent };
  if (reorder !== undefined) {
    return continueAsNew<typeof replenishment>({ ...input, orderId: reorder.orderId, contact: reorder.contact ?? input.contact, unanswered: 0 });
  }
  if (input.unanswered >= max) return { stoppedBecause: 'unanswered', remindersSent: input.remindersSent };
  return continueAsNew<typeof replenishment>(input);
}

/** The customer as the reminder's timing needs them: where they are, what the latest order's checkout recorded. */
function recipientOf(input: ReplenishmentInput): Recipient {
  const { contact } = input;
  return {
    customerId: input.customerId,
    journeyId: workflowInfo().workflowId,
    zones: recipientZones(contact),
    checkoutConsent: contact.placedAt ? { orderId: input.orderId, marketing: contact.marketingConsent === true, at: contact.placedAt } : undefined,
    policy: input.policy,
  };
}

/** A reminder's wait, shown in the Temporal UI's current details (this workflow has no journey view). */
function waitReporter(input: ReplenishmentInput): WaitReporter {
  return {
    planStep: (_step, description, dueAt) =>
      setCurrentDetails(`**Replenishment** of ${input.sku} (${input.itemName})\n\n- reminder waits: ${description}${dueAt ? ` — until ${dueAt.slice(0, 16).replace('T', ' ')} UTC` : ''}`),
    unplan: () => {},
    record: () => {},
  };
}

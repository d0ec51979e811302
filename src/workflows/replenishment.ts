/**
 * Replenishment reminders for one customer and one item (`replenish-<customerId>-<sku>`), outliving the orders that
 * start it. Each cycle waits the item's interval and sends a reorder reminder; a reorder starts the wait over; after
 * the policy's number of unanswered reminders it stops. Every cycle continues as new, so history never grows.
 *
 * A reminder is marketing: it waits for its reserved slot (consent, the customer's quiet hours, at most one marketing
 * message a day across all their journeys) before it goes; a reorder or a stop during that wait cancels it.
 *
 * The newest word wins: a stop (a return) counts only for the latest order the chain knows, and a reorder after a stop
 * starts the wait over. A reminder that cannot be sent is shown on the chain and counted; the chain goes on. Each
 * chain's reminders are its own in the ledger (steps keyed by the chain's first run id), so a chain started again
 * later under the same id reminds the customer again.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  log,
  patched,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { daysToMs } from '../domain/durations';
import type { Channel } from '../domain/order';
import { recipientZones } from '../domain/recipient-zones';
import { reminderStep } from '../domain/replenishment';
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
  /** The last reminder that could not be sent, and why: shown on the chain until a later one goes. */
  lastProblem?: string;
}

// Changes to running chains, each guarded by its patch (histories from before replay unchanged; docs/versioning.md).

/** Since this patch a reminder's ledger step and marketing slot are the chain's own (`chain-<first run id>:reminder-<n>`). */
export const REMINDER_STEPS_PER_CHAIN_PATCH = 'replenishment-reminder-steps-per-chain';
/**
 * Since this patch a stop counts only for the latest order the chain knows — a reorder received in the same run
 * included — and a reorder after a stop wins. Before, a stop compared with the order the run started from, so a return
 * of an older order beat a newer reorder.
 */
export const LATEST_ORDER_WINS_PATCH = 'replenishment-latest-order-wins';
/**
 * Since this patch a reminder whose send (or slot) activity fails for good — e.g. a provider down for longer than the
 * send's one-day deadline — is recorded on the chain and counted, and the chain goes on. Before, the failure failed the
 * chain, and the customer heard nothing more about the item.
 */
export const REMINDER_FAILURE_RECORDED_PATCH = 'replenishment-reminder-failure-recorded';

export interface ReplenishmentOutcome {
  stoppedBecause: 'unanswered' | 'returned' | string;
  remindersSent: number;
}

export async function replenishment(input: ReplenishmentInput): Promise<ReplenishmentOutcome> {
  let reorder: Reordered | undefined;
  let stop: string | undefined;
  setHandler(reorderedSignal, (r) => {
    reorder = r;
    if (patched(LATEST_ORDER_WINS_PATCH)) stop = undefined; // a reorder after a stop wins
  });
  setHandler(replenishmentStopSignal, ({ orderId, reason }) => {
    // A return of an older order does not stop reminders a newer order started (or restarted in this very run).
    const latestOrderId = patched(LATEST_ORDER_WINS_PATCH) ? (reorder?.orderId ?? input.orderId) : input.orderId;
    if (orderId === latestOrderId) stop = reason;
  });

  const max = input.policy.maxUnansweredReplenishmentReminders;
  const intervalMs = daysToMs(input.policy, input.intervalDays);
  const dueAt = new Date(Date.parse(now()) + intervalMs).toISOString();
  upsertSearchAttributes([{ key: JourneyStageKey, value: 'replenishing' }]);
  setCurrentDetails(
    `**Replenishment** of ${input.sku} (${input.itemName}) every ${input.intervalDays} days\n\n` +
      `- counting from order ${input.orderId}\n- next reminder: ${dueAt.slice(0, 16).replace('T', ' ')} UTC\n` +
      `- unanswered reminders: ${input.unanswered} of ${max}` +
      (input.lastProblem ? `\n- last problem: ${input.lastProblem}` : ''),
  );

  const interrupted = await condition(() => reorder !== undefined || stop !== undefined, intervalMs, {
    summary: `reorder reminder for ${input.sku} in ${input.intervalDays} days`,
  });
  if (!interrupted) {
    const reminder = input.remindersSent + 1;
    const step = reminderStep(patched(REMINDER_STEPS_PER_CHAIN_PATCH) ? workflowInfo().firstExecutionRunId : undefined, reminder);
    const problems: string[] = [];
    // A send (or slot) that failed for good: recorded and counted, unless this history is from before that (then it
    // fails the chain, as it did).
    const recorded = (what: string) => (err: unknown) => {
      if (isCancellation(err) || !(err instanceof ActivityFailure) || !patched(REMINDER_FAILURE_RECORDED_PATCH)) throw err;
      problems.push(`${what}: ${failureText(err)}`);
    };
    const recipients: [Channel, string][] = [];
    if (input.contact.channels.includes('email')) recipients.push(['email', input.contact.email]);
    if (input.contact.channels.includes('sms') && input.contact.phone) recipients.push(['sms', input.contact.phone]);
    if (!recipients.length) recipients.push(['email', input.contact.email]);
    const timed = sendTimingApplies();
    const recipient = recipientOf(input);
    const goes =
      !timed ||
      (await waitForMarketingSlot(recipient, step, 'replenishment_reminder', waitReporter(input), {
        interrupted: () => reorder !== undefined || stop !== undefined,
      }).catch((err: unknown) => (recorded('marketing slot')(err), false)));
    if (goes) {
      await Promise.all(
        recipients.map(([channel, to]) =>
          messagingFor(channel)
            .sendCustomerMessage.executeWithOptions({ summary: `send replenishment reminder ${channel}` }, [
              {
                journeyId: workflowInfo().workflowId,
                orderId: input.orderId,
                step,
                channel,
                to,
                message: {
                  messageType: 'replenishment_reminder',
                  data: { order: { orderId: input.orderId, name: input.contact.name, locale: input.contact.locale }, item: { sku: input.sku, name: input.itemName } },
                },
                ...(timed ? { customerId: recipient.customerId, checkoutConsent: recipient.checkoutConsent } : {}),
              },
            ])
            .catch(recorded(channel)),
        ),
      );
    }
    if (goes || problems.length) {
      // A reminder that could not go still counts: the chain keeps its rhythm and ends after the policy's number.
      input = { ...input, remindersSent: reminder, unanswered: input.unanswered + 1 };
    }
    if (problems.length) {
      const problem = `reminder ${reminder} not sent (${problems.join('; ')}) at ${now().slice(0, 16).replace('T', ' ')} UTC`;
      log.warn('replenishment reminder not sent', { sku: input.sku, reminder, problems });
      setCurrentDetails(`**Replenishment** of ${input.sku} (${input.itemName})\n\n- ${problem}`);
      input = { ...input, lastProblem: problem };
    } else if (goes && input.lastProblem) {
      input = { ...input, lastProblem: undefined };
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

/** What a failed activity says, from the outside in (e.g. "… ScheduleToClose timeout: outbox email send failed (503): …"). */
function failureText(err: Error): string {
  const messages: string[] = [];
  for (let e: unknown = err; e instanceof Error && messages.length < 4; e = e.cause) if (e.message) messages.push(e.message);
  const text = messages.join(': ');
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
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

/**
 * Replenishment reminders for one customer and one item (`replenish-<customerId>-<sku>`), outliving the orders that
 * start it. Each cycle waits the item's interval and sends a reorder reminder; a reorder starts the wait over; after
 * the policy's number of unanswered reminders it stops. Every cycle continues as new, so history never grows.
 *
 * A reminder goes through the order journeys' own sender (send.ts): it is marketing, so it waits for its reserved slot
 * (consent, the customer's quiet hours, at most one marketing message a day across all their journeys) before it goes;
 * a reorder or a stop during that wait cancels it.
 *
 * The newest word wins: a stop (a return) counts only for the latest order the chain knows, and a reorder after a stop
 * starts the wait over. A reminder that cannot be sent within its retry window is recorded like any message (ledger
 * "gave_up", metric), shown on the chain and counted; the chain goes on. Each
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
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { sinceFloor, sincePatch, takePatchFloor } from './patches';
import type { MessageOutcome, SendCustomerMessageInput } from '../activities';
import { addMs, daysToMs, minutesOf } from '../domain/durations';
import type { Channel } from '../domain/order';
import { zonesOf } from './zones';
import { reminderStep } from '../domain/replenishment';
import { isoNow as now } from './clock';
import { reorderedSignal, replenishmentStopSignal, type Reordered, type ReplenishmentContact } from './definitions';
import { JourneyStageKey } from './search-attributes';
import { failureReason, sendMessage, type Correspondent } from './send';

export interface ReplenishmentInput {
  customerId: string;
  sku: string;
  itemName: string;
  intervalDays: number;
  /** `secondsPerRetryHour`: the reminders' retry window (absent in chains started before: real hours). */
  policy: {
    name: string;
    secondsPerDay: number;
    maxUnansweredReplenishmentReminders: number;
    secondsPerRetryHour?: number;
  };
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

/**
 * Since this patch a reminder's ledger step and marketing slot are the chain's own (`chain-<first run
 * id>:reminder-<n>`).
 */
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
/**
 * Since this patch a reminder whose send gave up goes through the shared sender's give-up: the ledger row says
 * "gave_up" (the worker's metric counts it) as for every other message, instead of staying "pending".
 */
export const REMINDER_GAVE_UP_IN_LEDGER_PATCH = 'replenishment-reminder-gave-up-in-ledger';

export interface ReplenishmentOutcome {
  /** 'unanswered' (the last reminder had no reorder), else the stop signal's reason ('returned' for a return). */
  stoppedBecause: string;
  remindersSent: number;
}

export async function replenishment(input: ReplenishmentInput): Promise<ReplenishmentOutcome> {
  takePatchFloor(); // first, before any patch is asked (src/workflows/patches.ts)
  let reorder: Reordered | undefined;
  let stop: string | undefined;
  setHandler(reorderedSignal, (r) => {
    reorder = r;
    if (sincePatch(LATEST_ORDER_WINS_PATCH)) stop = undefined; // a reorder after a stop wins
  });
  setHandler(replenishmentStopSignal, ({ orderId, reason }) => {
    // A return of an older order does not stop reminders a newer order started (or restarted in this very run).
    const latestOrderId = sincePatch(LATEST_ORDER_WINS_PATCH) ? (reorder?.orderId ?? input.orderId) : input.orderId;
    if (orderId === latestOrderId) stop = reason;
  });
  const active = () => reorder === undefined && stop === undefined;

  const max = input.policy.maxUnansweredReplenishmentReminders;
  const intervalMs = daysToMs(input.policy, input.intervalDays);
  const dueAt = addMs(now(), intervalMs);
  // The journey starts a chain with its stage set, and continue-as-new carries it on: since floor 2 a run upserts it
  // only where it is missing (a billed action and an event per reminder otherwise).
  if (!sinceFloor(2) || workflowInfo().typedSearchAttributes.get(JourneyStageKey) !== 'replenishing')
    upsertSearchAttributes([{ key: JourneyStageKey, value: 'replenishing' }]);
  setCurrentDetails(
    `**Replenishment** of ${input.sku} (${input.itemName}) every ${input.intervalDays} days\n\n` +
      `- counting from order ${input.orderId}\n- next reminder: ${minutesOf(dueAt)} UTC\n` +
      `- unanswered reminders: ${input.unanswered} of ${max}` +
      (input.lastProblem ? `\n- last problem: ${input.lastProblem}` : ''),
  );

  const interrupted = await condition(() => !active(), intervalMs, {
    summary: `reorder reminder for ${input.sku} in ${input.intervalDays} days`,
  });
  if (!interrupted) {
    const reminder = input.remindersSent + 1;
    const step = reminderStep(
      sincePatch(REMINDER_STEPS_PER_CHAIN_PATCH) ? workflowInfo().firstExecutionRunId : undefined,
      reminder,
    );
    const result = await sendMessage(
      chainCorrespondent(input),
      recipientsOf(input.contact),
      step,
      {
        messageType: 'replenishment_reminder',
        data: {
          order: { orderId: input.orderId, name: input.contact.name, locale: input.contact.locale },
          item: { sku: input.sku, name: input.itemName },
        },
      },
      // A reorder or a stop while the reminder waits for its slot cancels it.
      { stillWanted: active, askAgainWhenDue: false },
    );
    if (result !== 'not_wanted') {
      // A reminder that could not go still counts: the chain keeps its rhythm and ends after the policy's number.
      input = { ...input, remindersSent: reminder, unanswered: input.unanswered + 1 };
      const problems = result
        .filter((o) => o.status === 'failed')
        .map((o) => `${o.channel}: ${o.error?.message ?? o.error?.code ?? 'failed'}`);
      if (problems.length) {
        const problem = `reminder ${reminder} not sent (${problems.join('; ')}) at ${minutesOf(now())} UTC`;
        log.warn('replenishment reminder not sent', { sku: input.sku, reminder, problems });
        setCurrentDetails(`**Replenishment** of ${input.sku} (${input.itemName})\n\n- ${problem}`);
        input = { ...input, lastProblem: problem };
      } else if (input.lastProblem) {
        input = { ...input, lastProblem: undefined };
      }
    }
  }

  await condition(allHandlersFinished);
  if (stop !== undefined) return { stoppedBecause: stop, remindersSent: input.remindersSent };
  if (reorder !== undefined) {
    return continueAsNew<typeof replenishment>({
      ...input,
      orderId: reorder.orderId,
      contact: reorder.contact ?? input.contact,
      unanswered: 0,
    });
  }
  if (input.unanswered >= max) return { stoppedBecause: 'unanswered', remindersSent: input.remindersSent };
  return continueAsNew<typeof replenishment>(input);
}

/** The customer's channels for reminders (SMS only with a phone number; email when nothing else is left). */
function recipientsOf(contact: ReplenishmentContact): [Channel, string][] {
  const recipients: [Channel, string][] = [];
  if (contact.channels.includes('email')) recipients.push(['email', contact.email]);
  if (contact.channels.includes('sms') && contact.phone) recipients.push(['sms', contact.phone]);
  return recipients.length ? recipients : [['email', contact.email]];
}

/**
 * The chain as the shared sender's correspondent: where the customer is and what the latest order's checkout recorded;
 * waits and outcomes shown in the Temporal UI's current details (a chain has no journey view).
 */
function chainCorrespondent(input: ReplenishmentInput): Correspondent {
  const { contact } = input;
  const show = (line: string) =>
    setCurrentDetails(`**Replenishment** of ${input.sku} (${input.itemName})\n\n- ${line}`);
  return {
    orderId: input.orderId,
    recipient: {
      customerId: input.customerId,
      journeyId: workflowInfo().workflowId,
      zones: zonesOf(contact, contact.zones),
      checkoutConsent: contact.placedAt
        ? { orderId: input.orderId, marketing: contact.marketingConsent === true, at: contact.placedAt }
        : undefined,
      policy: input.policy,
    },
    policy: input.policy,
    planStep: (_step, description, dueAt) =>
      show(`reminder waits: ${description}${dueAt ? ` — until ${minutesOf(dueAt)} UTC` : ''}`),
    unplan: () => {},
    record: () => {},
    recordMessage: () => {},
    failedAsBefore: failedAsBefore,
  };
}

/**
 * A reminder's send that failed for good, in chains from before REMINDER_GAVE_UP_IN_LEDGER_PATCH: recorded on the chain
 * only (the ledger row stays "pending"), or — before REMINDER_FAILURE_RECORDED_PATCH — the chain fails, as it did.
 */
function failedAsBefore(
  err: unknown,
  { step, channel, message }: SendCustomerMessageInput,
): MessageOutcome | undefined {
  if (isCancellation(err)) throw err;
  if (sincePatch(REMINDER_GAVE_UP_IN_LEDGER_PATCH)) return undefined;
  if (!(err instanceof ActivityFailure) || !sincePatch(REMINDER_FAILURE_RECORDED_PATCH)) throw err;
  const error = { code: 'gave_up', message: failureReason(err) };
  return {
    ledgerId: '',
    step,
    channel,
    messageType: message.messageType,
    status: 'failed',
    alreadyRecorded: false,
    error,
  };
}

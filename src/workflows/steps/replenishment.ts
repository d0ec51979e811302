/**
 * Step 5 — replenishment. For each kept item with a replenishment interval, start the customer's reminder workflow for
 * that item, or — when a previous order already started it — tell it the item was ordered again (its timer starts
 * over). The reminders outlive this order (parent close policy: abandon).
 *
 * "Start, else signal" can race: the chain may end (its last reminder, a return) between the start that found it
 * running and the signal, which then fails. So the journey starts it again, a few times if need be. Nothing about
 * replenishment can fail the order's journey: whatever goes wrong is recorded in its timeline, and the journey goes on.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  getExternalWorkflowHandle,
  isCancellation,
  startChild,
  type ChildWorkflowOptions,
  type WithWorkflowArgs,
} from '@temporalio/workflow';
import { sincePatch } from '../patches';
import { replenishmentIntervalDays, replenishmentWorkflowId } from '../../domain/replenishment';
import { reorderedSignal, type ReplenishmentContact } from '../definitions';
import type { Journey } from '../journey';
import { replenishment } from '../replenishment';
import { CustomerIdKey, JourneyStageKey, OrderIdKey } from '../search-attributes';

/**
 * Since this patch a reorder that finds the chain ended between "already started" and its signal starts the chain
 * again (at most MAX_START_ATTEMPTS rounds), and no replenishment failure reaches the order's journey. Before, the
 * failed signal failed the whole journey.
 */
export const START_WITHOUT_RACE_PATCH = 'replenishment-start-or-reorder-retries';
const MAX_START_ATTEMPTS = 3;

interface Chain {
  workflowId: string;
  sku: string;
  intervalDays: number;
  options: WithWorkflowArgs<typeof replenishment, Omit<ChildWorkflowOptions, 'typeInfo'>>;
  reordered: { orderId: string; contact: ReplenishmentContact };
}

export async function startReplenishment(journey: Journey): Promise<void> {
  const { order, policy } = journey;
  const contact: ReplenishmentContact = {
    email: order.email,
    phone: order.phone,
    name: order.name,
    locale: order.locale,
    channels: order.channels,
    timeZone: order.timeZone,
    shippingCountry: order.shippingCountry,
    zones: journey.input.zones,
    marketingConsent: order.marketingConsent,
    placedAt: order.placedAt,
  };
  journey.replenishmentStarted = true;
  const withoutRace = sincePatch(START_WITHOUT_RACE_PATCH);
  for (const item of journey.keptItems()) {
    const intervalDays = replenishmentIntervalDays(item, policy);
    if (!intervalDays) continue;
    const workflowId = replenishmentWorkflowId(order.customerId, item.sku);
    const chain: Chain = {
      workflowId,
      sku: item.sku,
      intervalDays,
      reordered: { orderId: order.orderId, contact },
      options: {
        workflowId,
        parentClosePolicy: 'ABANDON',
        args: [
          {
            customerId: order.customerId,
            sku: item.sku,
            itemName: item.name,
            intervalDays,
            policy: {
              name: policy.name,
              secondsPerDay: policy.secondsPerDay,
              maxUnansweredReplenishmentReminders: policy.maxUnansweredReplenishmentReminders,
              secondsPerRetryHour: policy.secondsPerRetryHour,
            },
            orderId: order.orderId,
            contact,
            remindersSent: 0,
            unanswered: 0,
          },
        ],
        typedSearchAttributes: [
          { key: CustomerIdKey, value: order.customerId },
          { key: OrderIdKey, value: order.orderId },
          { key: JourneyStageKey, value: 'replenishing' },
        ],
        staticSummary: `Replenishment of ${item.sku} every ${intervalDays} days`,
      },
    };
    if (!withoutRace) {
      await startOrReorderAsBefore(journey, chain);
      journey.replenishing.push(item.sku);
    } else if (await startOrReorder(journey, chain)) {
      journey.replenishing.push(item.sku);
    }
  }
}

/**
 * Starts the chain, or tells the running one about this order; starts it again when it ended in between. True when a
 * chain now counts from this order; false (recorded in the timeline) when none could be reached.
 */
async function startOrReorder(journey: Journey, chain: Chain): Promise<boolean> {
  const { sku, intervalDays } = chain;
  try {
    for (let attempt = 1; attempt <= MAX_START_ATTEMPTS; attempt++) {
      try {
        await startChild(replenishment, chain.options);
        journey.record(`replenishment reminders for ${sku} every ${intervalDays} days started`);
        return true;
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
      try {
        await getExternalWorkflowHandle(chain.workflowId).signal(reorderedSignal, chain.reordered);
        journey.record(`replenishment reminders for ${sku} restarted by this reorder`);
        return true;
      } catch (err) {
        if (isCancellation(err)) throw err;
        journey.record(`replenishment reminders for ${sku} had ended meanwhile; starting them again`);
      }
    }
    journey.record(
      `replenishment reminders for ${sku} not started: the chain ended and started again ${MAX_START_ATTEMPTS} times meanwhile`,
    );
  } catch (err) {
    if (isCancellation(err)) throw err;
    journey.record(
      `replenishment reminders for ${sku} not started: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return false;
}

/** Journeys from before START_WITHOUT_RACE_PATCH, as they ran (replays of their histories). */
async function startOrReorderAsBefore(journey: Journey, chain: Chain): Promise<void> {
  try {
    await startChild(replenishment, chain.options);
    journey.record(`replenishment reminders for ${chain.sku} every ${chain.intervalDays} days started`);
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    await getExternalWorkflowHandle(chain.workflowId).signal(reorderedSignal, chain.reordered);
    journey.record(`replenishment reminders for ${chain.sku} restarted by this reorder`);
  }
}

/**
 * Step 5 — replenishment. For each kept item with a replenishment interval, start the customer's reminder workflow for
 * that item, or — when a previous order already started it — tell it the item was ordered again (signal-with-start:
 * its timer starts over). The reminders outlive this order (parent close policy: abandon).
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { getExternalWorkflowHandle, startChild } from '@temporalio/workflow';
import { replenishmentIntervalDays, replenishmentWorkflowId } from '../../domain/replenishment';
import { reorderedSignal, type ReplenishmentContact } from '../definitions';
import type { Journey } from '../journey';
import { replenishment } from '../replenishment';
import { CustomerIdKey, JourneyStageKey, OrderIdKey } from '../search-attributes';

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
    marketingConsent: order.marketingConsent,
    placedAt: order.placedAt,
  };
  journey.replenishmentStarted = true;
  for (const item of journey.keptItems()) {
    const intervalDays = replenishmentIntervalDays(item, policy);
    if (!intervalDays) continue;
    const workflowId = replenishmentWorkflowId(order.customerId, item.sku);
    try {
      await startChild(replenishment, {
        workflowId,
        parentClosePolicy: 'ABANDON',
        args: [
          {
            customerId: order.customerId,
            sku: item.sku,
            itemName: item.name,
            intervalDays,
            policy: { name: policy.name, secondsPerDay: policy.secondsPerDay, maxUnansweredReplenishmentReminders: policy.maxUnansweredReplenishmentReminders },
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
      });
      journey.record(`replenishment reminders for ${item.sku} every ${intervalDays} days started`);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      await getExternalWorkflowHandle(workflowId).signal(reorderedSignal, { orderId: order.orderId, contact });
      journey.record(`replenishment reminders for ${item.sku} restarted by this reorder`);
    }
    journey.replenishing.push(item.sku);
  }
}

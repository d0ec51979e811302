/** What a journey is started with: the order, the policy in force, and what only the starter should work out. */
import type { WorkflowStartOptions } from '@temporalio/client';
import { journeyWorkflowId, type Order } from '../domain/order';
import type { JourneyPolicy } from '../domain/policy';
import { recipientZones } from '../domain/recipient-zones';
import type { JourneyInput } from '../workflows/journey-input';
import type { orderJourney } from '../workflows/order-journey';
import { CustomerIdKey, JourneyStageKey, OrderIdKey } from '../workflows/search-attributes';
import { contentFingerprint } from './fingerprint';

export function journeyInput(order: Order, policy: JourneyPolicy): JourneyInput {
  return { order, policy, zones: recipientZones(order) };
}

/** The journey's start request (JourneyService.start; the bench measures what each option costs the server). */
export function journeyStartOptions(
  order: Order,
  { taskQueue, policy, requestId }: { taskQueue: string; policy: JourneyPolicy; requestId?: string },
): WorkflowStartOptions<typeof orderJourney> {
  return {
    workflowId: journeyWorkflowId(order.orderId),
    taskQueue,
    args: [journeyInput(order, policy)],
    // Never a second journey for an order, not even after the first one has finished.
    workflowIdConflictPolicy: 'FAIL',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    // skus: what a review may be about, readable by describe() without a worker (no personal data).
    memo: {
      orderFingerprint: contentFingerprint(order),
      skus: order.items.map((i) => i.sku),
      ...(requestId ? { requestId } : {}),
    },
    typedSearchAttributes: [
      { key: OrderIdKey, value: order.orderId },
      { key: CustomerIdKey, value: order.customerId },
      { key: JourneyStageKey, value: 'confirming' },
    ],
    staticSummary: `Order ${order.orderId} · ${order.items.length} item${order.items.length === 1 ? '' : 's'} · ${order.total} ${order.currency}`,
    staticDetails: `Post-purchase journey for order ${order.orderId} (policy: ${policy.name}).`,
  };
}

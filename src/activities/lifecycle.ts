/**
 * Telling the customer's workflow (`customer-<customerId>`) about an order: signal-with-start, so the first order
 * starts it and every later one signals the running one, atomically (no "start, else signal" race). A workflow cannot
 * signal-with-start, so the order's journey calls this activity; it uses the worker's own client and task queue.
 */
import { Context } from '@temporalio/activity';
import { customerWorkflowId } from '../domain/lifecycle';
import { customerOrderPlacedSignal, type CustomerOrderPlaced } from '../workflows/definitions';
import type { customerLifecycle } from '../workflows/customer-lifecycle';
import { CustomerIdKey, JourneyStageKey } from '../workflows/search-attributes';

export function createLifecycleActivities() {
  return {
    async tellCustomerAboutOrder(order: CustomerOrderPlaced & { customerId: string }): Promise<{ workflowId: string }> {
      const { customerId, ...placed } = order;
      const { client, info } = Context.current();
      const workflowId = customerWorkflowId(customerId);
      await client.workflow.signalWithStart<typeof customerLifecycle, [CustomerOrderPlaced]>('customerLifecycle', {
        workflowId,
        taskQueue: info.taskQueue,
        args: [{ customerId, policy: placed.policy }],
        signal: customerOrderPlacedSignal,
        signalArgs: [placed],
        // Opaque ids only: search attributes are not encrypted.
        typedSearchAttributes: [
          { key: CustomerIdKey, value: customerId },
          { key: JourneyStageKey, value: 'customer' },
        ],
        staticSummary: `Customer ${customerId}: birthday, anniversary, win-back and loyalty messages`,
      });
      return { workflowId };
    },
  };
}

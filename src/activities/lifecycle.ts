/**
 * Telling the customer's workflow (`customer-<customerId>`) about an order: signal-with-start, so the first order
 * starts it and every later one signals the running one, atomically (no "start, else signal" race). A workflow cannot
 * signal-with-start, so the order's journey calls this activity; it uses the worker's own client and task queue.
 */
import { Context } from '@temporalio/activity';
import { customerWorkflowStart } from '../journeys/customer-workflow-start';
import { customerOrderPlacedSignal, type CustomerOrderPlaced } from '../workflows/definitions';
import type { customerLifecycle } from '../workflows/customer-lifecycle';

export function createLifecycleActivities() {
  return {
    async tellCustomerAboutOrder(order: CustomerOrderPlaced & { customerId: string }): Promise<{ workflowId: string }> {
      const { customerId, ...placed } = order;
      const { client, info } = Context.current();
      const start = customerWorkflowStart(customerId, info.taskQueue, placed.policy);
      await client.workflow.signalWithStart<typeof customerLifecycle, [CustomerOrderPlaced]>('customerLifecycle', {
        ...start,
        signal: customerOrderPlacedSignal,
        signalArgs: [placed],
      });
      return { workflowId: start.workflowId };
    },
  };
}

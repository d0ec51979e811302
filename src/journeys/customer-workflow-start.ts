/**
 * How the customer's lifecycle workflow is started — by signal-with-start, from the order journey's activity and from
 * the API's profile route alike: the same id, input, search attributes and summary whichever starts it first.
 */
import { customerWorkflowId, type CustomerPolicy } from '../domain/lifecycle';
import type { CustomerLifecycleInput } from '../workflows/customer-lifecycle';
import { CustomerIdKey, JourneyStageKey } from '../workflows/search-attributes';

export function customerWorkflowStart(customerId: string, taskQueue: string, policy: CustomerPolicy) {
  return {
    workflowId: customerWorkflowId(customerId),
    taskQueue,
    args: [{ customerId, policy }] as [CustomerLifecycleInput],
    // Opaque ids only: search attributes are not encrypted.
    typedSearchAttributes: [
      { key: CustomerIdKey, value: customerId },
      { key: JourneyStageKey, value: 'customer' },
    ],
    staticSummary: `Customer ${customerId}: birthday, anniversary, win-back and loyalty messages`,
  };
}

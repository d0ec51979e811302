/** How often to remind a customer to reorder an item: the item's own interval, else its category's in the policy. */
import type { OrderItem } from './order';
import type { JourneyPolicy } from './policy';

export function replenishmentIntervalDays(
  item: Pick<OrderItem, 'replenishmentIntervalDays' | 'category'>,
  policy: Pick<JourneyPolicy, 'replenishmentDaysByCategory'>,
): number | undefined {
  if (item.replenishmentIntervalDays) return item.replenishmentIntervalDays;
  return item.category ? policy.replenishmentDaysByCategory[item.category.toLowerCase()] : undefined;
}

export function replenishmentWorkflowId(customerId: string, sku: string): string {
  return `replenish-${customerId}-${sku}`;
}

/**
 * A reminder's step in the message ledger and the marketing slots, unique per chain: a chain started again later under
 * the same workflow id (after three unanswered reminders, or a return) must not find the earlier chain's rows and take
 * its reminders for already sent. `chainId` is the chain's first run id (it survives continue-as-new); chains from
 * before per-chain steps used the bare `reminder-<n>`.
 */
export function reminderStep(chainId: string | undefined, reminder: number): string {
  return chainId ? `chain-${chainId}:reminder-${reminder}` : `reminder-${reminder}`;
}

/** How often to remind a customer to reorder an item: the item's own interval, else its category's in the policy. */
import type { OrderItem } from './order';
import type { JourneyPolicy } from './policy';

export function replenishmentIntervalDays(item: Pick<OrderItem, 'replenishmentIntervalDays' | 'category'>, policy: Pick<JourneyPolicy, 'replenishmentDaysByCategory'>): number | undefined {
  if (item.replenishmentIntervalDays) return item.replenishmentIntervalDays;
  return item.category ? policy.replenishmentDaysByCategory[item.category.toLowerCase()] : undefined;
}

export function replenishmentWorkflowId(customerId: string, sku: string): string {
  return `replenish-${customerId}-${sku}`;
}

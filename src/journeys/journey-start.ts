/** What a journey is started with: the order, the policy in force, and what only the starter should work out. */
import type { Order } from '../domain/order';
import type { JourneyPolicy } from '../domain/policy';
import { recipientZones } from '../domain/recipient-zones';
import type { JourneyInput } from '../workflows/journey-input';

export function journeyInput(order: Order, policy: JourneyPolicy): JourneyInput {
  return { order, policy, zones: recipientZones(order) };
}

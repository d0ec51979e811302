import type { Order } from '../domain/order';
import type { JourneyPolicy } from '../domain/policy';

/** What the API starts a journey with: the order as checkout sent it, and the policy in force at that moment. */
export interface JourneyInput {
  order: Order;
  policy: JourneyPolicy;
}

export interface JourneyResult {
  orderId: string;
  stage: string;
}

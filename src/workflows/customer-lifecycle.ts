/**
 * One customer's lifecycle, for years: `customer-<customerId>`, started by the first order's journey and told of every
 * later order (signal-with-start, from an activity: src/activities/lifecycle.ts), and of profile changes by support.
 *
 * It waits for the soonest of: the birthday greeting (on the day, in the customer's zone), the account anniversary
 * (yearly from the first order), the win-back after a quiet spell (and one reminder; an order resets the clock) — or
 * news. An order may lift the customer into a loyalty tier: a congratulation goes at once (through the slot rules).
 * Every message goes through the journeys' sender (ledger, consent, quiet hours, frequency cap).
 *
 * Its state is one plain object (the `customerLifecycle` query answers it). Past a history budget (or when Temporal
 * suggests it) the run hands over to a new one at its next wait, carrying the state and any news not taken in yet.
 */
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import { takePatchFloor } from './patches';
import { tierFor, tierRank, withinWindow, type CustomerPolicy } from '../domain/lifecycle';
import { isoNow as now, msUntil } from './clock';
import {
  customerLifecycleQuery,
  customerOrderPlacedSignal,
  customerProfileUpdatedSignal,
  type CustomerOrderPlaced,
} from './definitions';
import { HISTORY_EVENT_BUDGET } from './journey';
import { Customer, newCustomer, type CustomerLifecycle, type CustomerNews } from './lifecycle/customer-state';
import { sendLifecycleMessage, sendTierCongratulation, upcomingMessages } from './lifecycle/lifecycle-messages';

export interface CustomerLifecycleInput {
  customerId: string;
  policy: CustomerPolicy;
  /** Set by the workflow itself when it continues as new. */
  resume?: { state: CustomerLifecycle; news: CustomerNews[] };
  /** History events after which a run hands over (default: the journeys' budget). Tests lower it. */
  historyEventBudget?: number;
}

/** As the journeys: Temporal's suggestion is followed only after this many events of a run. */
const MIN_EVENTS_BEFORE_SUGGESTED_HANDOVER = 100;

export async function customerLifecycle(input: CustomerLifecycleInput): Promise<never> {
  takePatchFloor(); // first, before any patch is asked (src/workflows/patches.ts)
  const state = input.resume
    ? { ...input.resume.state, run: input.resume.state.run + 1 }
    : newCustomer(input.customerId, input.policy);
  const customer = new Customer(state, input.resume?.news);
  setHandler(customerLifecycleQuery, () => customer.state);
  // Handlers only queue the news: the main flow takes it in between its waits, one at a time.
  setHandler(customerOrderPlacedSignal, (order) => {
    customer.news.push({ kind: 'order', order });
  });
  setHandler(customerProfileUpdatedSignal, (profile) => {
    customer.news.push({ kind: 'profile', profile });
  });
  customer.showDetails();

  const budget = input.historyEventBudget ?? HISTORY_EVENT_BUDGET;
  const timeToHandOver = () => {
    const { historyLength, continueAsNewSuggested } = workflowInfo();
    return historyLength >= budget || (continueAsNewSuggested && historyLength >= MIN_EVENTS_BEFORE_SUGGESTED_HANDOVER);
  };

  while (!timeToHandOver()) {
    const news = customer.news.shift();
    if (news) {
      await takeIn(customer, news);
      continue;
    }
    const upcoming = upcomingMessages(customer);
    customer.plan(upcoming);
    const next = upcoming[0];
    if (!next) {
      await condition(() => customer.news.length > 0 || timeToHandOver());
      continue;
    }
    const wait = msUntil(next.dueAt);
    const woken =
      wait > 0 &&
      (await condition(() => customer.news.length > 0 || timeToHandOver(), wait, { summary: next.description }));
    if (!woken) await sendLifecycleMessage(customer, next);
  }

  await condition(allHandlersFinished);
  customer.record(`history at ${workflowInfo().historyLength} events: the lifecycle continues in a new run`);
  return continueAsNew<typeof customerLifecycle>({
    ...input,
    policy: customer.policy,
    resume: { state: customer.state, news: [...customer.news] },
  });
}

async function takeIn(customer: Customer, news: CustomerNews): Promise<void> {
  if (news.kind === 'profile') {
    customer.setBirthDate(news.profile.birthDate, news.profile.source);
    return;
  }
  const { order } = news;
  if (customer.knowsOrder(order.orderId)) return; // told twice (a retried activity): already counted
  customer.addOrder(order, (orders) => withinWindow(orders, now(), order.policy));
  if (order.birthDate) customer.setBirthDate(order.birthDate, 'checkout');
  await reviewTier(customer, order);
}

/** The tier the last twelve months reach: a higher one is congratulated, a lower one only recorded. */
async function reviewTier(customer: Customer, order: CustomerOrderPlaced): Promise<void> {
  const { policy, state } = customer;
  const tiers = policy.lifecycle.loyaltyTiers;
  const reached = tierFor(withinWindow(state.orders, now(), policy), tiers);
  const before = tierRank(state.tier?.name, tiers);
  const after = tierRank(reached?.name, tiers);
  if (after === before) return;
  customer.setTier(reached?.name ?? null);
  if (after < before) {
    customer.record(
      `tier now ${reached?.name ?? 'none'} (fewer orders in the last ${policy.lifecycle.loyaltyWindowDays} days)`,
    );
    return;
  }
  customer.record(`tier ${reached!.name} reached with order ${order.orderId}`);
  await sendTierCongratulation(customer, reached!, order.orderId);
}

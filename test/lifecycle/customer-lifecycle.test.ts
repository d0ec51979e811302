/**
 * A customer's lifecycle over months, at production durations on the time-skipping server: orders placed through their
 * journeys (which tell the customer's workflow by signal-with-start), then months pass. What counts is what the
 * customer receives (the outbox, the ledger) and when, in workflow time (the customer workflow's record of each
 * message), never the outbox's created_at, which is real time on the test server.
 */
import { CustomerPreferenceStore } from '../../src/db/preferences';
import { customerWorkflowId } from '../../src/domain/lifecycle';
import { productionPolicy } from '../../src/domain/policy';
import { customerPolicyOf } from '../../src/journeys/customer-service';
import type { OrderInput } from '../../src/domain/order';
import { localDate, localTime } from '../../src/domain/quiet-hours';
import {
  customerLifecycleQuery,
  customerOrderPlacedSignal,
  type CustomerOrderPlaced,
} from '../../src/workflows/definitions';
import type { CustomerLifecycle } from '../../src/workflows/lifecycle/customer-state';
import { uniqueId } from '../helpers/fixtures';
import { DAY, OrderStory, startJourneyWorld, type JourneyWorld } from '../helpers/journey-harness';

jest.setTimeout(120_000);

const LIFECYCLE_TYPES = ['birthday', 'anniversary', 'win_back', 'win_back_reminder', 'loyalty_tier'];

// One server for the file: each story has its own customer and starts at the server's current time.
let world: JourneyWorld;
beforeAll(async () => {
  world = await startJourneyWorld();
});
afterAll(() => world?.stop());

async function now(): Promise<number> {
  return world.env.currentTimeMs();
}

/** Checkout places an order now (workflow time); resolves once it is confirmed. */
async function placeOrder(customerId: string, overrides: Partial<OrderInput> = {}): Promise<OrderStory> {
  return OrderStory.place(world, {
    customerId,
    channels: ['email'],
    placedAt: new Date(await now()).toISOString(),
    ...overrides,
  });
}

function lifecycleOf(customerId: string): Promise<CustomerLifecycle> {
  return world.env.client.workflow.getHandle(customerWorkflowId(customerId)).query(customerLifecycleQuery);
}

/** Polls (in real time, workflow time stands still) until the customer's workflow shows what `probe` wants. */
async function untilCustomer(customerId: string, probe: (c: CustomerLifecycle) => boolean, what: string) {
  let last: CustomerLifecycle | undefined;
  for (let i = 0; i < 150; i++) {
    last = await lifecycleOf(customerId).catch(() => undefined);
    if (last && probe(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`customer ${customerId} never got to: ${what}\n${JSON.stringify(last, null, 1)}`);
}

/** What the customer received from their lifecycle workflow (the outbox), oldest first: message types. */
async function lifecycleMessagesReceived(customerId: string): Promise<string[]> {
  const { rows } = await world.pool.query<{ message_type: string }>(
    `SELECT message_type FROM outbox_messages WHERE journey_id = $1 ORDER BY created_at, id`,
    [customerWorkflowId(customerId)],
  );
  return rows.map((r) => r.message_type);
}

/** The lifecycle workflow's steps in the ledger (a win-back's step names the order it counts from), oldest first. */
async function ledgerSteps(customerId: string): Promise<string[]> {
  const { rows } = await world.pool.query<{ step: string }>(
    `SELECT step FROM message_ledger WHERE journey_id = $1 ORDER BY created_at, step`,
    [customerWorkflowId(customerId)],
  );
  return rows.map((r) => r.step);
}

/** Lets workflow time pass, then waits until the customer's workflow has taken it in (nothing left in flight). */
async function letPass(customerId: string, ms: number): Promise<void> {
  await world.env.sleep(ms);
  const handle = world.env.client.workflow.getHandle(customerWorkflowId(customerId));
  for (let i = 0; i < 150; i++) {
    const { raw } = await handle.describe();
    if (!raw.pendingWorkflowTask && !raw.pendingActivities?.length) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`customer ${customerId}'s workflow never settled`);
}

/** The next day the clocks spring forward in Riga (the last Sunday of March) at least a week from now. */
function nextSpringForward(fromMs: number): string {
  for (let year = new Date(fromMs).getUTCFullYear(); ; year++) {
    const lastOfMarch = new Date(Date.UTC(year, 2, 31));
    const sunday = new Date(Date.UTC(year, 2, 31 - lastOfMarch.getUTCDay()));
    if (sunday.getTime() > fromMs + 7 * DAY) return sunday.toISOString().slice(0, 10);
  }
}

describe("a customer's lifecycle", () => {
  it('greets the customer on their birthday at 08:00 in Riga on the day the clocks change, once', async () => {
    const customerId = uniqueId('cus');
    const birthday = nextSpringForward(await now());
    await placeOrder(customerId, { birthDate: birthday.slice(5) });
    await untilCustomer(customerId, (c) => c.upcoming.some((u) => u.messageType === 'birthday'), 'birthday planned');

    await letPass(customerId, Date.parse(`${birthday}T12:00:00Z`) - (await now()));
    const customer = await untilCustomer(
      customerId,
      (c) => c.messages.some((m) => m.messageType === 'birthday'),
      'birthday greeting recorded',
    );
    const greetings = customer.messages.filter((m) => m.messageType === 'birthday');
    expect(greetings).toHaveLength(1);
    expect(greetings[0]).toMatchObject({ status: 'sent', channel: 'email' });
    expect(localDate(new Date(greetings[0]!.at), 'Europe/Riga')).toBe(birthday);
    expect(localTime(new Date(greetings[0]!.at), 'Europe/Riga')).toBe('08:00');

    // Two more days: still one greeting, and next year's is planned.
    await letPass(customerId, 2 * DAY);
    const received = await lifecycleMessagesReceived(customerId);
    expect(received.filter((m) => m === 'birthday')).toHaveLength(1);
    const after = await lifecycleOf(customerId);
    expect(after.upcoming.find((u) => u.messageType === 'birthday')?.step).toBe(
      `birthday-${Number(birthday.slice(0, 4)) + 1}`,
    );
  });

  it('a second order before the quiet spell ends starts the win-back clock over; win-back and one reminder follow', async () => {
    const customerId = uniqueId('cus');
    await placeOrder(customerId);
    await letPass(customerId, 60 * DAY);
    const second = await placeOrder(customerId);
    await untilCustomer(customerId, (c) => c.orderCount === 2, 'second order taken in');

    await letPass(customerId, 35 * DAY); // 95 days after the first order: its win-back would have gone at day 90
    expect(await lifecycleMessagesReceived(customerId)).toEqual([]);

    await letPass(customerId, 56 * DAY); // 91 days after the second order
    expect(await lifecycleMessagesReceived(customerId)).toEqual(['win_back']);

    await letPass(customerId, 31 * DAY);
    await letPass(customerId, 60 * DAY); // then silence until the next order
    expect(await lifecycleMessagesReceived(customerId)).toEqual(['win_back', 'win_back_reminder']);
    const about = second.order.orderId;
    expect(await ledgerSteps(customerId)).toEqual([`win-back-${about}-1`, `win-back-${about}-2`]);
  });

  it('the third order within a year lifts the customer to silver: one congratulation, shown on the customer', async () => {
    const customerId = uniqueId('cus');
    await placeOrder(customerId);
    await letPass(customerId, 7 * DAY);
    await placeOrder(customerId);
    await letPass(customerId, 7 * DAY);
    expect((await lifecycleOf(customerId)).tier).toBeNull();
    expect(await lifecycleMessagesReceived(customerId)).toEqual([]);

    const third = await placeOrder(customerId);
    await untilCustomer(customerId, (c) => c.orderCount === 3, 'third order taken in');
    await letPass(customerId, DAY); // the congratulation waits for the customer's quiet hours at most
    expect(await lifecycleMessagesReceived(customerId)).toEqual(['loyalty_tier']);
    expect(await ledgerSteps(customerId)).toEqual([`tier-silver-${third.order.orderId}`]);
    expect((await lifecycleOf(customerId)).tier).toMatchObject({ name: 'silver' });
  });

  it('a customer who opted out of marketing gets none of it: no birthday, no tier, no win-back (skipped in the ledger)', async () => {
    const customerId = uniqueId('cus');
    await new CustomerPreferenceStore(world.pool).record([
      { customerId, topic: 'marketing', status: 'opted_out', source: 'support', at: new Date(await now()) },
    ]);
    const birthday = new Date((await now()) + 20 * DAY).toISOString().slice(5, 10);
    for (let i = 0; i < 3; i++) {
      await placeOrder(customerId, { marketingConsent: false, birthDate: birthday });
      await letPass(customerId, DAY);
    }
    await letPass(customerId, 130 * DAY); // past the birthday, the win-back and its reminder

    expect(await lifecycleMessagesReceived(customerId)).toEqual([]);
    const { rows } = await world.pool.query<{ message_type: string; status: string; error_code: string }>(
      `SELECT message_type, status, error_code FROM message_ledger WHERE journey_id = $1 ORDER BY created_at`,
      [customerWorkflowId(customerId)],
    );
    expect(rows.map((r) => r.message_type).sort()).toEqual(
      ['birthday', 'loyalty_tier', 'win_back', 'win_back_reminder'].sort(),
    );
    expect(rows.every((r) => r.status === 'skipped')).toBe(true);
    const orderJourneyLifecycle = await world.pool.query(
      `SELECT 1 FROM outbox_messages WHERE message_type = ANY($1) AND journey_id LIKE 'order-%'`,
      [LIFECYCLE_TYPES],
    );
    expect(orderJourneyLifecycle.rowCount).toBe(0);
  });

  it('a customer of many orders: the workflow continues as new, keeping orders, tier and what was sent', async () => {
    const customerId = uniqueId('cus');
    const order = async (n: number): Promise<CustomerOrderPlaced> => ({
      orderId: `${customerId}-o${n}`,
      placedAt: new Date(await now()).toISOString(),
      total: '59.90',
      currency: 'EUR',
      categories: ['cosmetics'],
      skus: ['SERUM-30'],
      contact: {
        email: `${customerId}@example.com`,
        locale: 'en',
        timeZone: 'Europe/Riga',
        channels: ['email'],
        zones: { zones: ['Europe/Riga'], basis: 'order_time_zone' },
        marketingConsent: true,
      },
      policy: customerPolicyOf(productionPolicy),
    });
    // As the orders' journeys tell it (signal-with-start), with a history budget low enough to hand over mid-story.
    const first = await world.env.client.workflow.signalWithStart('customerLifecycle', {
      workflowId: customerWorkflowId(customerId),
      taskQueue: world.taskQueue,
      args: [{ customerId, policy: customerPolicyOf(productionPolicy), historyEventBudget: 40 }],
      signal: customerOrderPlacedSignal,
      signalArgs: [await order(1)],
    });
    for (let n = 2; n <= 7; n++) {
      await letPass(customerId, DAY);
      await first.signal(customerOrderPlacedSignal, await order(n));
    }
    await letPass(customerId, DAY);

    const customer = await untilCustomer(customerId, (c) => c.orderCount === 7 && c.run > 0, 'seven orders, a new run');
    expect((await first.describe()).runId).not.toBe(first.signaledRunId);
    expect(customer.tier).toMatchObject({ name: 'gold' });
    expect(customer.orders.map((o) => o.orderId)).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `${customerId}-o${n}`));
    expect(await lifecycleMessagesReceived(customerId)).toEqual(['loyalty_tier', 'loyalty_tier']); // silver, then gold
    expect(await ledgerSteps(customerId)).toEqual([`tier-silver-${customerId}-o3`, `tier-gold-${customerId}-o6`]);
  });
});

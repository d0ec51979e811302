/**
 * A journey continues as new when its history grows (issue 9, defect 5). Here the budget is lowered so a plain order
 * hands over while its parcel travels and again later: the customer must not notice — tips, review request and reminder
 * go once each, at the times they would have gone in one long run.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { journeyWorkflowId, orderSchema, type Order } from '../../src/domain/order';
import { productionPolicy } from '../../src/domain/policy';
import { nextSendTime } from '../../src/domain/quiet-hours';
import type { TrackingStatus } from '../../src/domain/tracking-status';
import { addShipmentUpdate, journeyQuery, trackingEventSignal } from '../../src/workflows/definitions';
import type { JourneyView } from '../../src/workflows/journey-state';
import { CustomerIdKey, JourneyStageKey, OrderIdKey } from '../../src/workflows/search-attributes';
import { anOrder } from '../helpers/fixtures';
import { DAY, startJourneyWorld, type JourneyWorld } from '../helpers/journey-harness';
import { journeyInput } from '../../src/journeys/journey-start';

const HOUR = DAY / 24;

// A fresh server per test: the Java test server was seen to stop skipping time after a test awaited a workflow that
// continued as new (see replenishment.test.ts).
let world: JourneyWorld;
beforeEach(async () => {
  world = await startJourneyWorld();
});
afterEach(() => world?.stop());

/** Starts a journey as the API does (search attributes, summary), with a history budget for the test. */
async function startJourney(order: Order, historyEventBudget: number): Promise<WorkflowHandle> {
  const handle = await world.env.client.workflow.start('orderJourney', {
    workflowId: journeyWorkflowId(order.orderId),
    taskQueue: world.taskQueue,
    args: [{ ...journeyInput(order, productionPolicy), historyEventBudget }],
    typedSearchAttributes: [
      { key: OrderIdKey, value: order.orderId },
      { key: CustomerIdKey, value: order.customerId },
      { key: JourneyStageKey, value: 'confirming' },
    ],
    staticSummary: `Order ${order.orderId} · ${order.items.length} items`,
    memo: { orderFingerprint: 'fingerprint-of-the-order', skus: order.items.map((i) => i.sku) },
  });
  await until(handle, (v) => v.stage !== 'confirming', 'confirmed');
  return handle;
}

async function until(
  handle: WorkflowHandle,
  predicate: (v: JourneyView) => boolean,
  what: string,
): Promise<JourneyView> {
  for (let i = 0; i < 300; i++) {
    const view = await handle.query(journeyQuery);
    if (predicate(view)) return view;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never got to: ${what}`);
}

/**
 * Lets days pass until the journey closes. Stepping with `env.sleep` rather than awaiting the result: the time-skipping
 * server was seen to stop skipping while a test awaited a journey that continued as new. A step that does not come back
 * fails at once, with where the journey stood.
 */
async function untilClosed(handle: WorkflowHandle): Promise<void> {
  for (let step = 0; step < 40 && (await handle.describe()).status.name === 'RUNNING'; step++) {
    let timeout: NodeJS.Timeout | undefined;
    const skipped = await Promise.race([
      world.env.sleep(DAY + 3 * HOUR).then(() => true),
      new Promise((r) => (timeout = setTimeout(() => r(false), 20_000))),
    ]);
    clearTimeout(timeout);
    if (!skipped) throw new Error(`time stopped: ${JSON.stringify((await handle.query(journeyQuery)).plan)}`);
  }
}

/** Every run of the journey, first to last, with its history length (following each continue-as-new). */
async function runsOf(
  handle: WorkflowHandle & { firstExecutionRunId: string },
): Promise<{ runId: string; events: number }[]> {
  const runs: { runId: string; events: number }[] = [];
  let runId: string | undefined = handle.firstExecutionRunId;
  while (runId) {
    const history: temporal.api.history.v1.IHistory = await world.env.client.workflow
      .getHandle(handle.workflowId, runId)
      .fetchHistory();
    const events = history.events ?? [];
    runs.push({ runId, events: events.length });
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}

describe('continue-as-new', () => {
  it('a journey continued as new while the parcel travels still sends tips, review request and reminder at the right times', async () => {
    const order = orderSchema.parse(anOrder({ channels: ['email'] }));
    const handle = (await startJourney(order, 40)) as WorkflowHandle & { firstExecutionRunId: string };
    const { items } = await handle.query(journeyQuery);
    await handle.executeUpdate(addShipmentUpdate, {
      args: [
        { carrier: 'ups', trackingNumber: '1ZCAN0001', items: items.map(({ sku, quantity }) => ({ sku, quantity })) },
      ],
    });
    const says = async (status: TrackingStatus) =>
      handle.signal(trackingEventSignal, {
        trackingNumber: '1ZCAN0001',
        status,
        occurredAt: new Date(await world.env.currentTimeMs()).toISOString(),
      });
    for (const status of [
      'label_created',
      'in_transit',
      'available_for_pickup',
      'in_transit',
      'in_transit',
      'out_for_delivery',
    ] as const) {
      await world.env.sleep(6 * HOUR + 10 * 60_000); // never a whole number of days (see history-bound.test.ts, ROUND)
      await says(status);
    }
    // The parcel has not arrived, and the journey already runs in its second run (or later). (After a signal this test
    // lets time pass rather than polling the query: the time-skipping server was seen to strand a run whose workflow
    // task continued as new while queries came in — "workflow execution already completed" for a run with no close
    // event.)
    await world.env.sleep(HOUR);
    expect((await handle.query(journeyQuery)).shipments[0]!.status).toBe('out_for_delivery');
    const midDelivery = await handle.describe();
    expect(midDelivery.runId).not.toBe(handle.firstExecutionRunId);
    expect((await handle.query(journeyQuery)).stage).toBe('in_transit');

    await world.env.sleep(HOUR);
    await says('delivered');
    await world.env.sleep(HOUR);
    const delivered = await handle.query(journeyQuery);
    expect(delivered.stage).toBe('delivered');
    const deliveredAt = Date.parse(delivered.deliveredAt!);

    // The review request has gone; late carrier news (ignored) grows the history while the reminder waits, so the
    // journey hands over in that wait too, and the next run waits for the same reminder time.
    await world.env.sleep(11 * DAY + 5 * HOUR);
    expect((await handle.query(journeyQuery)).messages.some((m) => m.messageType === 'review_request')).toBe(true);
    const runBeforeReminder = (await handle.describe()).runId;
    for (let i = 0; i < 8; i++) await says('in_transit');
    await world.env.sleep(HOUR);
    // Nine, with the repeated "in transit" before these eight.
    expect((await handle.query(journeyQuery)).shipments[0]!.ignoredUpdates).toBe(9);

    await untilClosed(handle);
    expect(await handle.result()).toEqual({ orderId: order.orderId, stage: 'completed' });

    const view = await handle.query(journeyQuery);
    const emails = view.messages.filter((m) => m.channel === 'email');
    expect(emails.map((m) => m.messageType)).toEqual([
      'confirmation',
      'shipped',
      'ready_for_pickup',
      'out_for_delivery',
      'delivered',
      'unboxing_tips',
      'review_request',
      'review_reminder',
    ]);
    const sentAt = (type: string) => Date.parse(emails.find((m) => m.messageType === type)!.at);
    const dueOrMorning = (days: number) => nextSendTime(new Date(deliveredAt + days * DAY), 'Europe/Riga').getTime();
    expect(sentAt('unboxing_tips')).toBeGreaterThanOrEqual(dueOrMorning(2));
    expect(sentAt('unboxing_tips')).toBeLessThan(dueOrMorning(2) + HOUR);
    expect(sentAt('review_request')).toBeGreaterThanOrEqual(dueOrMorning(10));
    expect(sentAt('review_request')).toBeLessThan(dueOrMorning(10) + HOUR);
    expect(sentAt('review_reminder') - sentAt('review_request')).toBeGreaterThanOrEqual(5 * DAY);
    expect(sentAt('review_reminder') - sentAt('review_request')).toBeLessThan(5 * DAY + HOUR);
    // The journey closed when the return window did, 30 days after delivery.
    const last = await handle.describe();
    const completedAt = last.closeTime!.getTime();
    expect(completedAt - deliveredAt).toBeGreaterThanOrEqual(30 * DAY);
    expect(completedAt - deliveredAt).toBeLessThan(30 * DAY + HOUR);

    // Once each: the journey never even asked the ledger twice.
    const ledger = await world.pool.query<{ step: string; channel: string; attempts: number }>(
      'SELECT step, channel, attempts FROM message_ledger WHERE journey_id = $1',
      [handle.workflowId],
    );
    expect(ledger.rows.map((r) => `${r.step}/${r.channel}`).sort()).toEqual(
      view.messages.map((m) => `${m.step}/${m.channel}`).sort(),
    );
    expect(ledger.rows.filter((r) => r.attempts !== 1)).toEqual([]);
    const outbox = await world.outbox.list({ orderId: order.orderId });
    expect(outbox.filter((m) => m.journeyId === handle.workflowId)).toHaveLength(view.messages.length);

    const runs = await runsOf(handle);
    const requestRun = runs.findIndex((r) => r.runId === runBeforeReminder);
    expect(runs.length).toBeGreaterThan(requestRun + 1); // the reminder went from a later run than the request
    const handovers = view.timeline
      .filter((t) => t.event.includes('continues in a new run'))
      .map((t) => Date.parse(t.at));
    // A handover in the wait for the reminder (it may start the moment the request went).
    expect(handovers.some((at) => at >= sentAt('review_request') && at < sentAt('review_reminder'))).toBe(true);
    console.info(`continue-as-new story: runs ${runs.map((r) => r.events).join(' + ')} events`);
    expect(runs.length).toBeGreaterThanOrEqual(3); // at least once in transit and once after delivery
    expect(view.timeline.filter((t) => t.event.includes('continues in a new run'))).toHaveLength(runs.length - 1);

    // The Temporal UI still finds the journey by its search attributes, on the current stage.
    expect(last.runId).toBe(runs.at(-1)!.runId);
    expect(last.typedSearchAttributes.get(OrderIdKey)).toBe(order.orderId);
    expect(last.typedSearchAttributes.get(CustomerIdKey)).toBe(order.customerId);
    expect(last.typedSearchAttributes.get(JourneyStageKey)).toBe('completed');
    // The API tells a repeated order from a conflicting one by the memo: it goes along too.
    expect(last.memo).toEqual({ orderFingerprint: 'fingerprint-of-the-order', skus: order.items.map((i) => i.sku) });
    const first = await world.env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).describe();
    // The static summary stays with the first run (neither the server nor the TypeScript SDK's continueAsNew carries
    // it).
    console.info(
      `static summary: first run ${JSON.stringify(await first.staticSummary())}, last run ${JSON.stringify(await last.staticSummary())}`,
    );
  }, 120_000);
});

/**
 * Replenishment reminders that outlive the order: one workflow per customer and item, reset by a reorder, stopping
 * after unanswered reminders. Cosmetics come back every 70 days under the production policy.
 */
import type { ReplenishmentOutcome } from '../../src/workflows/replenishment';
import { JourneyStageKey } from '../../src/workflows/search-attributes';
import { DAY, OrderStory, startJourneyWorld, untilIdle, type JourneyWorld } from '../helpers/journey-harness';
import { uniqueId } from '../helpers/fixtures';

// A fresh server per test: after awaiting the result of a workflow that continued as new, the Java test server was seen
// to stop skipping time in later `env.sleep` calls of the same environment. (Seen again in
// replenishment-lifecycle.test.ts: what stalls time is a chain — continued as new or not — completing after its parent
// order journey closed; a chain that completes while its parent is open does not.)
let world: JourneyWorld;
beforeEach(async () => {
  world = await startJourneyWorld();
});
afterEach(() => world?.stop());

const serum = {
  items: [{ sku: 'SERUM-30', name: 'Vitamin C serum 30 ml', quantity: 1, unitPrice: '24.50', category: 'cosmetics' }],
  total: '24.50',
};

async function deliveredOrder(customerId: string) {
  const story = await OrderStory.place(world, { customerId, channels: ['email'], ...serum });
  const trackingNumber = `RPL${Math.random().toString(36).slice(2, 8)}`;
  await story.ship({ trackingNumber });
  await story.carrierSays(trackingNumber, 'delivered');
  await story.until(
    (v) => v.timeline.some((t) => t.event.startsWith('replenishment reminders for SERUM-30')),
    'replenishment started',
  );
  return story;
}

async function remindersFor(customerId: string) {
  const { rows } = await world.pool.query<{ order_id: string; created_at: Date }>(
    `SELECT order_id, created_at FROM outbox_messages WHERE message_type = 'replenishment_reminder' AND journey_id = $1 ORDER BY created_at`,
    [`replenish-${customerId}-SERUM-30`],
  );
  return rows;
}

/** Polls (in real time, workflow time standing still) until `probe` holds. */
async function eventuallyTrue(probe: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never happened: ${what}`);
}

describe('replenishment', () => {
  it('stops after three unanswered reminders, 70 days apart, and its history stays small', async () => {
    const customerId = uniqueId('cus');
    await deliveredOrder(customerId);
    const reminders = world.env.client.workflow.getHandle(`replenish-${customerId}-SERUM-30`);

    const outcome: ReplenishmentOutcome = await reminders.result();
    expect(outcome).toEqual({ stoppedBecause: 'unanswered', remindersSent: 3 });
    const sent = await remindersFor(customerId);
    expect(sent).toHaveLength(3);

    const lastRun = await reminders.describe();
    // Continue-as-new each cycle: the last run holds one reminder's cycle (about 33 events), not all three (~100).
    expect(lastRun.historyLength).toBeLessThan(40);
    // Its stage came with its start and each continue-as-new: no run upserts it again (patch floor 2).
    expect(lastRun.typedSearchAttributes.get(JourneyStageKey)).toBe('replenishing');
    const stageUpserts = (await reminders.fetchHistory()).events!.filter(
      (e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.JourneyStage,
    );
    expect(stageUpserts).toEqual([]);
  });

  it('a reorder of the same item starts the wait over', async () => {
    const customerId = uniqueId('cus');
    const first = await deliveredOrder(customerId);
    await first.wait(60 * DAY);
    const second = await deliveredOrder(customerId);

    const chain = world.env.client.workflow.getHandle(`replenish-${customerId}-SERUM-30`);
    await second.wait(15 * DAY); // day 75 after the first order: its reminder would have gone by now
    await untilIdle(chain, 'the reminder chain');
    expect(await remindersFor(customerId)).toHaveLength(0);

    await second.wait(60 * DAY); // 75 days after the reorder
    await eventuallyTrue(async () => (await remindersFor(customerId)).length > 0, 'a reminder after the reorder');
    await untilIdle(chain, 'the reminder chain');
    const sent = await remindersFor(customerId);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.order_id).toBe(second.order.orderId);
    const timeline = (await second.view()).timeline.map((t) => t.event);
    expect(timeline).toContain('replenishment reminders for SERUM-30 restarted by this reorder');
  });

  it('a returned item stops its reminders', async () => {
    const customerId = uniqueId('cus');
    const story = await deliveredOrder(customerId);
    await story.requestReturn([{ sku: 'SERUM-30', quantity: 1 }]);
    const outcome: ReplenishmentOutcome = await world.env.client.workflow
      .getHandle(`replenish-${customerId}-SERUM-30`)
      .result();
    expect(outcome).toEqual({ stoppedBecause: 'returned', remindersSent: 0 });
  });
});

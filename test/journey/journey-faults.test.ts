/**
 * Smaller wrong behaviours under faults and odd timing (issue 9, defects 4 and 7), each at production durations on the
 * time-skipping server: the return update answers before its email, a parcel during a slow confirmation keeps its
 * stage, an order that never ships ends at its deadline, a return during replenishment's start stops that item.
 */
import { OutboxStore } from '../../src/db/outbox';
import { journeyWorkflowId, orderSchema } from '../../src/domain/order';
import { productionPolicy } from '../../src/domain/policy';
import { replenishmentWorkflowId } from '../../src/domain/replenishment';
import { OutboxProvider } from '../../src/providers/outbox/outbox-provider';
import { ProviderError, type EmailProvider } from '../../src/providers/types';
import { addShipmentUpdate, journeyQuery } from '../../src/workflows/definitions';
import type { JourneyView } from '../../src/workflows/journey-state';
import { testPool } from '../helpers/database';
import { anOrder } from '../helpers/fixtures';
import { DAY, OrderStory, startJourneyWorld, type JourneyWorld } from '../helpers/journey-harness';
import { journeyInput } from '../../src/journeys/journey-start';

const pool = testPool();
const outboxEmail = new OutboxProvider(new OutboxStore(pool));
/** Per order: email types SendGrid keeps answering 503 to, and a confirmation that takes its time. */
const failing = new Map<string, string>();
const slowConfirmation = new Set<string>();
const email: EmailProvider = {
  name: 'outbox',
  sendEmail: async (message) => {
    if (failing.get(message.orderId) === message.messageType)
      throw new ProviderError('sendgrid', 'email', '503', 'Service Unavailable', true);
    if (slowConfirmation.has(message.orderId) && message.messageType === 'confirmation')
      await new Promise((r) => setTimeout(r, 1_500));
    return outboxEmail.sendEmail(message);
  },
};

let world: JourneyWorld;
beforeAll(async () => {
  world = await startJourneyWorld({ email });
});
afterAll(async () => {
  await world?.stop();
  await pool.end();
});

async function deliveredOrder() {
  const story = await OrderStory.place(world, { channels: ['email'] });
  const trackingNumber = `RET${Math.random().toString(36).slice(2, 8)}`.toUpperCase();
  await story.ship({ trackingNumber });
  await story.carrierSays(trackingNumber, 'delivered');
  await story.until((v) => v.stage === 'delivered', 'delivered');
  return story;
}

it('a return is answered as soon as its RMA is recorded, while its email is still retrying', async () => {
  const story = await deliveredOrder();
  failing.set(story.order.orderId, 'return_accepted');
  const answer = story.requestReturn([{ sku: 'TOWEL-01', quantity: 1 }]);
  let giveUp: NodeJS.Timeout | undefined;
  const tooSlow = new Promise((r) => (giveUp = setTimeout(() => r('no answer within 5 s'), 5_000)));
  // The update's answer does not wait for workflow time, and the failing email would keep it waiting for a day.
  expect(await Promise.race([answer, tooSlow])).toEqual({ rmaId: `RMA-${story.order.orderId}-1` });
  clearTimeout(giveUp);

  failing.delete(story.order.orderId);
  await story.wait(DAY);
  await story.until(
    (v) => v.messages.some((m) => m.messageType === 'return_accepted' && m.status === 'sent'),
    'return email sent',
  );
  expect((await story.receivedTypes()).filter((t) => t === 'return_accepted')).toHaveLength(1);
});

it('a parcel registered during a slow confirmation keeps the journey "in transit"', async () => {
  const order = orderSchema.parse(anOrder({ channels: ['email'] }));
  slowConfirmation.add(order.orderId);
  const handle = await world.env.client.workflow.start('orderJourney', {
    workflowId: journeyWorkflowId(order.orderId),
    taskQueue: world.taskQueue,
    args: [journeyInput(order, productionPolicy)],
  });
  await handle.executeUpdate(addShipmentUpdate, {
    args: [
      {
        carrier: 'ups',
        trackingNumber: `SLOW${order.orderId.slice(-6)}`,
        items: order.items.map(({ sku, quantity }) => ({ sku, quantity })),
      },
    ],
  });
  let view: JourneyView = await handle.query(journeyQuery);
  for (let i = 0; i < 100 && !view.messages.some((m) => m.messageType === 'confirmation'); i++) {
    await new Promise((r) => setTimeout(r, 100));
    view = await handle.query(journeyQuery);
  }
  expect(view.messages.map((m) => m.messageType)).toContain('confirmation');
  expect(view.stage).toBe('in_transit');
});

it('an order that never ships nor is cancelled ends at the shipment deadline and goes to support', async () => {
  const story = await OrderStory.place(world, { channels: ['email'] });
  const result = await story.finish(); // time skips: 30 days of nothing
  expect(result).toEqual({ orderId: story.order.orderId, stage: 'not_shipped' });
  const view = await story.view();
  expect(view.supportCases).toEqual([expect.objectContaining({ kind: 'not_shipped', caseKey: 'order:not_shipped' })]);
  expect(Date.parse(view.timeline.at(-1)!.at) - Date.parse(view.timeline[0]!.at)).toBeGreaterThanOrEqual(30 * DAY);
});

it('a return accepted while the replenishment reminders are starting stops the returned item', async () => {
  const story = await OrderStory.place(world, { channels: ['email'] });
  const trackingNumber = `REP${Math.random().toString(36).slice(2, 8)}`.toUpperCase();
  await story.ship({ trackingNumber });
  await story.carrierSays(trackingNumber, 'delivered');
  // A return asked for as soon as the scan is in is accepted before the journey's own flow takes the delivery in, and
  // the serum's reminders never start. Here support asks the moment the journey has taken it in: the return races the
  // start of the reminders.
  await story.until((v) => v.deliveredAt !== null, 'the delivery taken in');
  await story.requestReturn([{ sku: 'SERUM-30', quantity: 2 }]);
  const chain = world.env.client.workflow.getHandle(replenishmentWorkflowId(story.order.customerId, 'SERUM-30'));
  await story.until(
    (v) => v.timeline.some((t) => t.event.startsWith('replenishment reminders for SERUM-30')),
    'reminders started',
  );
  expect(await chain.result()).toMatchObject({ stoppedBecause: 'returned', remindersSent: 0 });
});

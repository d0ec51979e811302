/**
 * Parcel news under faults and at scale: urgent news never waits behind another parcel's message, a status reached
 * again is news again, nobody is polled who cannot answer, and an order's parcels are bounded.
 */
import { OutboxStore } from '../../src/db/outbox';
import { NoCarrierTracking } from '../../src/providers/carriers/types';
import { OutboxProvider } from '../../src/providers/outbox/outbox-provider';
import { ProviderError, type EmailProvider } from '../../src/providers/types';
import { testPool } from '../helpers/database';
import { DAY, OrderStory, startJourneyWorld, type JourneyWorld } from '../helpers/journey-harness';

const HOUR = DAY / 24;
const pool = testPool();
const outboxEmail = new OutboxProvider(new OutboxStore(pool));
/** For the orders listed: SendGrid answering 503 to "delivery problem" emails only, the rest going. */
const failingProblemsOf = new Set<string>();
const problemsFail: EmailProvider = {
  name: 'outbox',
  sendEmail: async (message) => {
    if (message.messageType === 'delivery_problem' && failingProblemsOf.has(message.orderId)) {
      throw new ProviderError('sendgrid', 'email', '503', 'Service Unavailable', true);
    }
    return outboxEmail.sendEmail(message);
  },
};

let world: JourneyWorld;
beforeAll(async () => {
  world = await startJourneyWorld({ email: problemsFail, carriers: new NoCarrierTracking() });
});
afterAll(async () => {
  await world?.stop();
  await pool.end();
});

const twoItems = {
  items: [
    { sku: 'LAMP-01', name: 'Desk lamp', quantity: 1, unitPrice: '39.00' },
    { sku: 'BULB-01', name: 'Bulb', quantity: 1, unitPrice: '5.00' },
  ],
  total: '44.00',
};
const tn = (prefix: string) => `${prefix}${Math.random().toString(36).slice(2, 8)}`.toUpperCase();

it("a parcel's message that keeps retrying does not hold up another parcel's delivery news", async () => {
  const story = await OrderStory.place(world, { channels: ['email'], ...twoItems });
  failingProblemsOf.add(story.order.orderId);
  const [lamp, bulb] = [tn('LAMP'), tn('BULB')];
  await story.ship({ trackingNumber: lamp, items: [{ sku: 'LAMP-01', quantity: 1 }] });
  await story.ship({ trackingNumber: bulb, items: [{ sku: 'BULB-01', quantity: 1 }] });
  await story.until(
    (v) => v.messages.filter((m) => m.messageType === 'shipped').length === 2,
    'both parcels announced',
  );

  await story.carrierSays(lamp, 'exception'); // its email retries for up to a day
  await story.wait(HOUR);
  await story.carrierSays(bulb, 'delivered');
  await story.wait(HOUR);
  await story.until((v) => v.messages.some((m) => m.messageType === 'delivered'), 'the bulb announced as delivered');
  const view = await story.view();
  expect(view.messages.some((m) => m.messageType === 'delivery_problem')).toBe(false); // still retrying meanwhile
  expect(await story.receivedTypes()).toContain('delivered');
});

it('a second "out for delivery" after a failed attempt is sent again, as its own step', async () => {
  const story = await OrderStory.place(world, { channels: ['email'] });
  const parcel = tn('AGAIN');
  await story.ship({ trackingNumber: parcel });
  for (const status of ['out_for_delivery', 'attempt_failed', 'out_for_delivery', 'delivered'] as const) {
    await story.wait(2 * HOUR);
    await story.carrierSays(parcel, status);
  }
  await story.until((v) => v.stage === 'delivered', 'delivered');
  const view = await story.until(
    (v) => v.messages.filter((m) => m.messageType === 'out_for_delivery').length === 2,
    'two out-for-delivery',
  );
  expect(view.messages.filter((m) => m.messageType === 'out_for_delivery').map((m) => [m.step, m.status])).toEqual([
    [`parcel:${parcel}:out_for_delivery`, 'sent'],
    [`parcel:${parcel}:out_for_delivery:2`, 'sent'],
  ]);
  expect((await story.receivedTypes()).filter((t) => t === 'out_for_delivery')).toHaveLength(2);
});

it('a parcel no tracking provider can answer for is never polled, and is reported stalled once', async () => {
  const story = await OrderStory.place(world, { channels: ['email'] });
  const parcel = tn('QUIET');
  await story.ship({ trackingNumber: parcel });
  await story.until((v) => v.shipments[0]?.pollable === false, 'the provider said it cannot follow the carrier');
  await story.wait(12 * DAY);
  await story.until((v) => v.shipments[0]!.stalled, 'stalled');
  const history = await story.handle.fetchHistory();
  const polls = history.events!.filter(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'pollCarrier',
  );
  expect(polls).toHaveLength(0);
  const view = await story.view();
  expect(view.supportCases.filter((c) => c.kind === 'tracking_stalled')).toHaveLength(1);
  expect((await story.receivedTypes()).filter((t) => t === 'tracking_stalled')).toHaveLength(1);
});

it('refuses parcels that would ship more than was bought', async () => {
  const story = await OrderStory.place(world, { channels: ['email'], ...twoItems });
  await story.ship({ trackingNumber: tn('ONE'), items: [{ sku: 'LAMP-01', quantity: 1 }] });
  await expect(
    story.ship({ trackingNumber: tn('TWO'), items: [{ sku: 'LAMP-01', quantity: 1 }] }),
  ).rejects.toMatchObject({
    cause: { message: 'item LAMP-01: 1 already shipped, 1 more would exceed the 1 bought' },
  });
});

/**
 * The frequency cap across a customer's journeys, on the time-skipping server: two orders delivered at the same moment,
 * one with an item that starts replenishment reminders, all want to send marketing at the same instants. Every message
 * goes — later ones deferred — and no two go within 24 hours of each other.
 *
 * Times compared are workflow times (the journey view's `at`, the reservation table's slots), never the outbox's
 * created_at, which is real time on the test server.
 */
import type { ReplenishmentOutcome } from '../../src/workflows/replenishment';
import { CustomerSide } from '../helpers/consent-harness';
import { uniqueId } from '../helpers/fixtures';
import { DAY, OrderStory, startJourneyWorld, type JourneyWorld } from '../helpers/journey-harness';

const MARKETING = new Set(['unboxing_tips', 'review_request', 'review_reminder', 'replenishment_reminder']);

let world: JourneyWorld;
beforeAll(async () => {
  world = await startJourneyWorld();
});
afterAll(() => world?.stop());

describe('frequency cap', () => {
  it('two orders and a replenishment reminder of one customer: all marketing arrives, at least 24 hours apart', async () => {
    const customer = new CustomerSide(world.pool);
    const customerId = uniqueId('cus');
    // Placed and delivered together; the serum's reminders come every 10 days, so the first one is due with the review
    // requests, ten days after delivery: three journeys want the same instant.
    const serum = {
      sku: 'SERUM-30',
      name: 'Vitamin C serum 30 ml',
      quantity: 1,
      unitPrice: '24.50',
      replenishmentIntervalDays: 10,
    };
    const towel = { sku: 'TOWEL-01', name: 'Bamboo towel', quantity: 1, unitPrice: '10.90' };
    const [first, second] = await Promise.all([
      OrderStory.place(world, { customerId, channels: ['email'], items: [serum], total: '24.50' }),
      OrderStory.place(world, { customerId, channels: ['email'], items: [towel], total: '10.90' }),
    ]);
    await Promise.all([first.ship({ trackingNumber: 'CAP00001' }), second.ship({ trackingNumber: 'CAP00002' })]);
    const deliveredAt = await first.now();
    await Promise.all([
      first.carrierSays('CAP00001', 'delivered', { occurredAt: deliveredAt }),
      second.carrierSays('CAP00002', 'delivered', { occurredAt: deliveredAt }),
    ]);

    // One result awaited at a time: the test server skips time only while a result is awaited, and two concurrent
    // waits were seen to leave it locked.
    await first.finish();
    await second.finish();
    const reminders: ReplenishmentOutcome = await world.env.client.workflow
      .getHandle(`replenish-${customerId}-SERUM-30`)
      .result();
    expect(reminders).toEqual({ stoppedBecause: 'unanswered', remindersSent: 3 });

    // None lost: each order's tips, review request and reminder, and three reorder reminders (sent for the first
    // order).
    const journeyMessages = [
      'confirmation',
      'shipped',
      'delivered',
      'unboxing_tips',
      'review_request',
      'review_reminder',
    ];
    expect(await second.receivedTypes('email')).toEqual(journeyMessages);
    expect((await first.receivedTypes('email')).sort()).toEqual(
      [...journeyMessages, ...Array(3).fill('replenishment_reminder')].sort(),
    );

    // At least 24 hours apart, in workflow time: the journeys' own record of when each message went…
    const views = await Promise.all([first.view(), second.view()]);
    const sent = views
      .flatMap((v) => v.messages.filter((m) => MARKETING.has(m.messageType)).map((m) => Date.parse(m.at)))
      .sort((a, b) => a - b);
    expect(sent).toHaveLength(6);
    // …and every reservation, the replenishment reminders' included.
    const slots = (await customer.slots.forCustomer(customerId)).map((s) => s.at.getTime());
    expect(slots).toHaveLength(9);
    for (const times of [sent, slots]) {
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      // A message goes the moment its slot opens (+ the send).
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(DAY - 1_000);
    }
    // Each message went in its slot: the journeys' send times are the reserved times (plus the moment the send takes).
    for (const at of sent) expect(slots.some((slot) => at >= slot && at - slot < 60_000)).toBe(true);

    // The deferrals show in the journeys.
    const deferred = views.flatMap((v) => v.timeline.map((t) => t.event)).filter((e) => e.includes('frequency cap'));
    expect(deferred.length).toBeGreaterThan(0);
  });
});

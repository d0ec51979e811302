/**
 * Reviews: asked for at the right time, never for what was already reviewed; a bad one reaches support.
 */
import { DAY, OrderStory, startJourneyWorld, type JourneyWorld } from '../helpers/journey-harness';

let world: JourneyWorld;
beforeAll(async () => {
  world = await startJourneyWorld();
});
afterAll(() => world?.stop());

const oneItem = { items: [{ sku: 'LAMP-01', name: 'Desk lamp', quantity: 1, unitPrice: '39.00' }], total: '39.00' };

async function deliveredOrder(overrides = {}) {
  const story = await OrderStory.place(world, { channels: ['email'], ...overrides });
  await story.ship({ trackingNumber: `REV${Math.random().toString(36).slice(2, 8)}` });
  await story.carrierSays((await story.view()).shipments[0]!.trackingNumber, 'delivered');
  await story.until((v) => v.stage === 'delivered', 'delivered');
  return story;
}

describe('review request', () => {
  it('is not sent when the review arrived before the request', async () => {
    const story = await deliveredOrder(oneItem);
    await story.wait(4 * DAY);
    await story.review('LAMP-01', 5);
    await story.finish();

    const received = await story.receivedTypes();
    expect(received).not.toContain('review_request');
    expect(received).not.toContain('review_reminder');
    expect((await story.view()).reviews).toEqual([expect.objectContaining({ sku: 'LAMP-01', rating: 5 })]);
  });

  it('is not followed by a reminder once the customer reviewed', async () => {
    const story = await deliveredOrder(oneItem);
    await story.wait(11 * DAY);
    await story.until((v) => v.stage === 'awaiting_review', 'review requested');
    await story.review('LAMP-01', 4);
    await story.finish();
    const received = await story.receivedTypes();
    expect(received).toContain('review_request');
    expect(received).not.toContain('review_reminder');
  });

  it('falls back to the expected delivery date when the carrier never scans the delivery', async () => {
    const story = await OrderStory.place(world, { channels: ['email'], ...oneItem, expectedDelivery: undefined });
    await story.ship({ trackingNumber: 'NOSCAN01' });
    await story.finish();
    const view = await story.view();
    expect(view.deliveryConfirmedBy).toBe('fallback');
    expect(await story.receivedTypes()).toEqual(expect.arrayContaining(['review_request']));
    expect(await story.receivedTypes()).not.toContain('unboxing_tips'); // no proof it arrived: no unboxing tips
    const requested = Date.parse(view.messages.find((m) => m.messageType === 'review_request')!.at);
    expect(requested - Date.parse(view.deliveredAt!)).toBeGreaterThanOrEqual(10 * DAY);
  });
});

describe('a bad review', () => {
  it('is escalated to support, and the customer gets an apology saying someone will be in touch', async () => {
    const story = await deliveredOrder(oneItem);
    await story.review('LAMP-01', 2);
    const view = await story.until(
      (v) => v.messages.some((m) => m.messageType === 'bad_review_apology'),
      'apology sent',
    );

    expect(view.supportCases).toEqual([expect.objectContaining({ kind: 'bad_review', caseKey: 'review:LAMP-01' })]);
    const apology = (await world.outbox.list({ orderId: story.order.orderId })).find(
      (m) => m.messageType === 'bad_review_apology',
    );
    expect(apology!.textBody).toContain('will be in touch');
    expect(await world.supportCases.forOrder(story.order.orderId)).toEqual([
      expect.objectContaining({ kind: 'bad_review', status: 'open' }),
    ]);
  });

  it('a good review is just recorded', async () => {
    const story = await deliveredOrder(oneItem);
    await story.review('LAMP-01', 3);
    await story.until((v) => v.reviews.length === 1, 'review recorded');
    await story.wait(DAY);
    await story.settled(); // an escalation, had there been one, has happened by now
    expect((await story.view()).supportCases).toEqual([]);
    expect(await story.receivedTypes()).not.toContain('bad_review_apology');
  });
});

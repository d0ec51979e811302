/**
 * Support staff's returns and cancellations, answered yes or no by the journey itself.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { DAY, OrderStory, startJourneyWorld, type JourneyWorld } from '../helpers/journey-harness';

let world: JourneyWorld;
beforeAll(async () => {
  world = await startJourneyWorld();
});
afterAll(() => world?.stop());

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) return err.cause?.message ?? err.message;
    throw err;
  }
  throw new Error('expected the journey to refuse');
}

/** An order delivered now, with every message of the delivery already out. */
async function deliveredOrder(channels: ('email' | 'sms')[] = ['email']) {
  const story = await OrderStory.place(world, { channels });
  const trackingNumber = `DLV${Math.random().toString(36).slice(2, 8)}`;
  await story.ship({ trackingNumber });
  await story.carrierSays(trackingNumber, 'delivered');
  await story.until((v) => v.stage === 'delivered', 'delivered');
  await story.untilMessages(3);
  return story;
}

describe('cancellation', () => {
  it('before shipment: the customer is told, every timer stops and the journey ends as cancelled', async () => {
    const story = await OrderStory.place(world, { channels: ['email'] });
    const answer = await story.cancel('customer changed their mind');
    expect(answer.cancelledAt).toEqual(expect.any(String));

    expect(await story.finish()).toEqual({ orderId: story.order.orderId, stage: 'cancelled' });
    const view = await story.view();
    expect(view.plan).toEqual([]);
    expect(await story.receivedTypes()).toEqual(['confirmation', 'cancellation']);
    const description = await story.handle.describe();
    expect(description.status.name).toBe('COMPLETED');
  });

  it('after shipment: refused with "already shipped; start a return", and nothing changes', async () => {
    const story = await OrderStory.place(world, { channels: ['email'] });
    await story.ship({ trackingNumber: 'SHIPPED01' });
    expect(await refusal(story.cancel())).toBe('already shipped; start a return');
    const view = await story.view();
    expect(view.cancellation).toBeNull();
    expect(view.stage).toBe('in_transit');
  });

  it('a cancelled order refuses parcels', async () => {
    const story = await OrderStory.place(world, { channels: ['email'] });
    await story.cancel();
    await story.finish();
    await expect(story.ship({ trackingNumber: 'LATE0001' })).rejects.toThrow();
  });
});

describe('returns', () => {
  it('inside the window: accepted with an RMA id and instructions; the return parcel arrives and the refund is confirmed', async () => {
    const story = await deliveredOrder();
    await story.wait(20 * DAY);
    const [serum] = story.order.items;
    const { rmaId } = await story.requestReturn([{ sku: serum!.sku, quantity: 1 }], 'too oily');
    expect(rmaId).toBe(`RMA-${story.order.orderId}-1`);

    await story.ship({ trackingNumber: 'RET00001', rmaId, items: [{ sku: serum!.sku, quantity: 1 }] });
    await story.carrierSays('RET00001', 'delivered');
    const view = await story.until((v) => v.returns[0]?.status === 'received', 'return received');
    expect(view.returns[0]).toMatchObject({ rmaId, reason: 'too oily', items: [{ sku: serum!.sku, quantity: 1 }] });
    await story.until((v) => v.messages.some((m) => m.messageType === 'refund_confirmed'), 'refund confirmed');
    const received = await story.receivedTypes();
    expect(received).toEqual(expect.arrayContaining(['return_accepted', 'refund_confirmed']));
    expect(received.indexOf('return_accepted')).toBeLessThan(received.indexOf('refund_confirmed'));
  });

  it('outside the window: refused 31 days after delivery, and says why', async () => {
    const story = await deliveredOrder();
    const [serum, towel] = story.order.items;
    await story.wait(29 * DAY);
    await story.requestReturn([{ sku: serum!.sku, quantity: 1 }]); // its parcel keeps the journey open past the window
    await story.wait(2 * DAY);
    const reason = await refusal(story.requestReturn([{ sku: towel!.sku, quantity: 1 }]));
    expect(reason).toMatch(/^the return window closed on \d{4}-\d\d-\d\dT/);
    expect((await story.view()).returns).toHaveLength(1);
  });

  it('an accepted return whose parcel never comes lapses, and then the journey ends', async () => {
    const story = await deliveredOrder();
    await story.requestReturn([{ sku: story.order.items[0]!.sku, quantity: 1 }]);
    expect(await story.finish()).toEqual({ orderId: story.order.orderId, stage: 'completed' });
    const view = await story.view();
    expect(view.returns[0]!.status).toBe('lapsed');
    expect(await story.receivedTypes()).not.toContain('refund_confirmed');
  });

  it('refuses items that are not in the order, and more than was bought minus already returned', async () => {
    const story = await deliveredOrder();
    const [serum] = story.order.items; // two bought
    expect(await refusal(story.requestReturn([{ sku: 'NOT-OURS', quantity: 1 }]))).toBe(
      'item NOT-OURS is not part of this order',
    );
    await story.requestReturn([{ sku: serum!.sku, quantity: 1 }]);
    expect(await refusal(story.requestReturn([{ sku: serum!.sku, quantity: 2 }]))).toBe(
      `only 1 of item ${serum!.sku} can be returned (bought 2, already returned 1)`,
    );
  });

  it('refuses a return before delivery', async () => {
    const story = await OrderStory.place(world, { channels: ['email'] });
    expect(await refusal(story.requestReturn([{ sku: story.order.items[0]!.sku, quantity: 1 }]))).toBe(
      'the order has not been delivered yet',
    );
  });

  it('partial return: the review request asks only about the items the customer kept', async () => {
    const story = await deliveredOrder();
    const [serum, towel] = story.order.items;
    await story.wait(3 * DAY);
    await story.requestReturn([{ sku: towel!.sku, quantity: 1 }], 'wrong colour');
    await story.finish();

    const reviewRequest = (await world.outbox.list({ orderId: story.order.orderId })).find(
      (m) => m.messageType === 'review_request',
    );
    expect(reviewRequest!.textBody).toContain(serum!.name);
    expect(reviewRequest!.textBody).not.toContain(towel!.name);
  });

  it('returning everything leaves nothing to review: no request, no reminder', async () => {
    const story = await deliveredOrder();
    await story.requestReturn(
      story.order.items.map(({ sku, quantity }) => ({ sku, quantity })),
      'not needed',
    );
    await story.finish();
    const received = await story.receivedTypes();
    expect(received).not.toContain('review_request');
    expect(received).not.toContain('review_reminder');
    expect((await story.view()).timeline.map((t) => t.event)).toContain(
      'review request skipped: every item was returned or already reviewed',
    );
  });
});

/**
 * Consent in running journeys, at production durations on the time-skipping server: marketing needs consent and stops
 * at once when the customer leaves; order updates still reach them, unless they stopped the channel itself (SMS STOP).
 * Skipped messages are in the ledger and the journey, with the reason.
 */
import { CustomerSide, outcomes, unsubscribeLinkIn } from '../helpers/consent-harness';
import { HAPPY_PATH_EMAILS, uniquePhone } from '../helpers/fixtures';
import { DAY, OrderStory, startJourneyWorld, type JourneyWorld } from '../helpers/journey-harness';

let world: JourneyWorld;
let customer: CustomerSide;
beforeAll(async () => {
  world = await startJourneyWorld();
  customer = new CustomerSide(world.pool);
});
afterAll(() => world?.stop());

// No replenishment item: these stories end with the order's journey.
const lamp = { items: [{ sku: 'LAMP-01', name: 'Desk lamp', quantity: 1, unitPrice: '39.00' }], total: '39.00' };

async function shipped(overrides = {}) {
  const story = await OrderStory.place(world, { channels: ['email', 'sms'], ...lamp, ...overrides });
  const trackingNumber = `CNS${Math.random().toString(36).slice(2, 8)}`;
  await story.ship({ trackingNumber });
  await story.until((v) => v.messages.some((m) => m.messageType === 'shipped' && m.channel === 'sms'), 'shipped SMS');
  return { story, trackingNumber };
}

describe('marketing consent', () => {
  it('a customer who unsubscribes mid-journey gets no review request, but still the delivery SMS', async () => {
    const { story, trackingNumber } = await shipped();
    // While the parcel travels, the customer leaves marketing (as the link of an earlier email or support's PUT records
    // it).
    await customer.preferences.record([
      { customerId: story.order.customerId, topic: 'marketing', status: 'opted_out', source: 'unsubscribe-link:email' },
    ]);

    await story.carrierSays(trackingNumber, 'out_for_delivery');
    await story.carrierSays(trackingNumber, 'delivered');
    await story.finish();

    const view = await story.view();
    expect(outcomes(view, 'out_for_delivery')).toEqual({ email: 'sent', sms: 'sent' });
    expect(outcomes(view, 'delivered')).toEqual({ email: 'sent', sms: 'sent' });
    for (const marketing of ['unboxing_tips', 'review_request', 'review_reminder']) {
      expect({ marketing, ...outcomes(view, marketing) }).toEqual({
        marketing,
        email: 'skipped: marketing_opted_out',
        sms: 'skipped: marketing_opted_out',
      });
    }
    expect(view.timeline.map((t) => t.event)).toContain('review request email skipped: marketing_opted_out');
    expect(await story.receivedTypes('sms')).toEqual(['confirmation', 'shipped', 'out_for_delivery', 'delivered']);
    expect(await story.receivedTypes('email')).not.toContain('review_request');

    const ledger = await customer.ledger.forOrder(story.order.orderId);
    expect(ledger.find((e) => e.step === 'review-request' && e.channel === 'email')).toMatchObject({
      status: 'skipped',
      errorCode: 'marketing_opted_out',
      errorMessage: expect.stringMatching(/^the customer opted out of marketing \(unsubscribe-link:email, /),
    });
    // No slot held for messages that will not go.
    expect(await customer.slots.forCustomer(story.order.customerId)).toEqual([]);
  });

  it('the tips email carries a one-click unsubscribe; clicking it stops the review request that was already planned', async () => {
    const { story, trackingNumber } = await shipped();
    await story.carrierSays(trackingNumber, 'delivered');
    await story.wait(3 * DAY); // tips two days after delivery (08:00 local at the latest)
    await story.until(
      (v) => v.messages.some((m) => m.messageType === 'unboxing_tips' && m.channel === 'email'),
      'tips sent',
    );

    const tips = (await world.outbox.list({ orderId: story.order.orderId })).find(
      (m) => m.messageType === 'unboxing_tips' && m.channel === 'email',
    )!;
    expect(tips.headers).toEqual({
      'List-Unsubscribe': expect.stringMatching(/^<http:\/\/localhost:3000\/v1\/unsubscribe\?token=v1\.[\w.%-]+>$/),
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    const link = unsubscribeLinkIn(tips.headers);
    expect(tips.htmlBody).toContain(`href="${link}"`); // the footer's link is the customer's own, too
    expect(tips.textBody).toContain(link);
    expect((await story.view()).plan.map((p) => p.step)).toContain('review-request');

    await customer.clickUnsubscribe(link);
    await story.finish();

    const view = await story.view();
    expect(outcomes(view, 'unboxing_tips')).toEqual({ email: 'sent', sms: 'sent' });
    expect(outcomes(view, 'review_request')).toEqual({
      email: 'skipped: marketing_opted_out',
      sms: 'skipped: marketing_opted_out',
    });
    expect((await customer.preferences.get(story.order.customerId)).optOuts).toEqual([
      expect.objectContaining({
        topic: 'marketing',
        source: 'unsubscribe-link:email',
        reason: 'one-click unsubscribe',
      }),
    ]);
  });

  it('without consent at checkout there is no marketing at all, while every order update goes out', async () => {
    const { story, trackingNumber } = await shipped({ marketingConsent: undefined });
    await story.carrierSays(trackingNumber, 'delivered');
    await story.finish();

    const view = await story.view();
    expect(outcomes(view, 'delivered')).toEqual({ email: 'sent', sms: 'sent' });
    expect(outcomes(view, 'review_request')).toEqual({
      email: 'skipped: no_marketing_consent',
      sms: 'skipped: no_marketing_consent',
    });
    expect(await story.receivedTypes('email')).toEqual(['confirmation', 'shipped', 'delivered']);
    expect((await customer.preferences.get(story.order.customerId)).marketing).toBe('not_asked');
  });

  it("consent ticked at checkout is on the customer's record from the confirmation on, dated when the order was placed", async () => {
    const { story } = await shipped();
    const prefs = await customer.preferences.get(story.order.customerId);
    expect(prefs).toMatchObject({ known: true, marketing: 'opted_in' });
    expect(prefs.statements.marketing).toEqual({
      status: 'opted_in',
      source: `checkout:order ${story.order.orderId}`,
      reason: 'ticked at checkout',
      at: new Date(story.order.placedAt),
    });
  });
});

describe('SMS STOP', () => {
  it('stops SMS of both kinds — delivery updates and marketing — while email goes on', async () => {
    // A number of its own: an opt-out is per phone number, and every test file shares the database.
    const phone = uniquePhone();
    const { story, trackingNumber } = await shipped({ phone });
    await customer.replyStop(story.order.phone!);

    await story.carrierSays(trackingNumber, 'out_for_delivery');
    await story.carrierSays(trackingNumber, 'delivered');
    await story.finish();

    const view = await story.view();
    expect(outcomes(view, 'shipped')).toEqual({ email: 'sent', sms: 'sent' }); // before the STOP
    expect(outcomes(view, 'out_for_delivery')).toEqual({ email: 'sent', sms: 'skipped: opted_out' });
    expect(outcomes(view, 'delivered')).toEqual({ email: 'sent', sms: 'skipped: opted_out' });
    expect(outcomes(view, 'review_request')).toEqual({ email: 'sent', sms: 'skipped: opted_out' });
    expect(await story.receivedTypes('sms')).toEqual(['confirmation', 'shipped']);
    expect(await story.receivedTypes('email')).toEqual(HAPPY_PATH_EMAILS);
  });
});

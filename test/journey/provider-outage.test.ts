/**
 * No activity failure fails a journey: a provider down for longer than a message's retry window
 * (src/domain/send-deadlines.ts) costs that message only. It is recorded as not sent — ledger "gave_up", the journey's
 * timeline, a support case for a transactional message — and the journey goes on to its end.
 */
import { MessageLedger } from '../../src/db/ledger';
import { OutboxStore } from '../../src/db/outbox';
import { OutboxProvider } from '../../src/providers/outbox/outbox-provider';
import { ProviderError, type EmailProvider, type SmsProvider } from '../../src/providers/types';
import { testPool } from '../helpers/database';
import { DAY, OrderStory, startJourneyWorld, type JourneyWorld } from '../helpers/journey-harness';

const HOUR = 3_600_000;
const pool = testPool();
let smsDown = false;
let emailDown = false;
const outbox = new OutboxProvider(new OutboxStore(pool));
/** Twilio answering 503 while `smsDown`. */
const flakySms: SmsProvider = {
  name: 'outbox',
  sendSms: async (message) => {
    if (smsDown) throw new ProviderError('twilio', 'sms', '503', 'Service Unavailable', true);
    return outbox.sendSms(message);
  },
};
/** SendGrid answering 503 while `emailDown`. */
const flakyEmail: EmailProvider = {
  name: 'outbox',
  sendEmail: async (email) => {
    if (emailDown) throw new ProviderError('sendgrid', 'email', '503', 'Service Unavailable', true);
    return outbox.sendEmail(email);
  },
};

let world: JourneyWorld;
beforeAll(async () => {
  world = await startJourneyWorld({ sms: flakySms, email: flakyEmail });
});
afterAll(async () => {
  await world?.stop();
  await pool.end();
});

it('an SMS outage longer than the "out for delivery" window loses that SMS only, on record, and the journey completes', async () => {
  const story = await OrderStory.place(world, { channels: ['email', 'sms'], phone: '+37120000777' });
  const trackingNumber = `OUT${Math.random().toString(36).slice(2, 8)}`;
  await story.ship({ trackingNumber });
  await story.untilMessages(3); // confirmation email + SMS, shipped email (the shipped SMS may still be on its way)
  await story.until(
    (v) => v.messages.filter((m) => m.step.endsWith(':shipped')).length === 2,
    'shipped on both channels',
  );

  smsDown = true;
  await story.carrierSays(trackingNumber, 'out_for_delivery');
  await story.wait(25 * HOUR); // Twilio down for 25 hours: far past the 4-hour window of an "out for delivery" SMS
  const gaveUp = await story.until(
    (v) => v.messages.some((m) => m.messageType === 'out_for_delivery' && m.channel === 'sms'),
    'the out-for-delivery SMS given up',
  );
  smsDown = false;

  const lost = gaveUp.messages.find((m) => m.messageType === 'out_for_delivery' && m.channel === 'sms')!;
  expect(lost).toMatchObject({ status: 'failed', error: { code: 'gave_up' } });
  expect(gaveUp.timeline.map((t) => t.event)).toContain('out for delivery sms failed: gave_up');
  expect(gaveUp.supportCases).toEqual([expect.objectContaining({ kind: 'message_not_sent' })]);
  const rows = await new MessageLedger(pool).forOrder(story.order.orderId);
  expect(rows.find((r) => r.step.endsWith(':out_for_delivery') && r.channel === 'sms')).toMatchObject({
    status: 'failed',
    errorCode: 'gave_up',
  });

  await story.carrierSays(trackingNumber, 'delivered');
  await story.wait(60 * DAY);
  expect(await story.finish()).toMatchObject({ stage: 'completed' });
  const sms = await story.receivedTypes('sms');
  expect(sms).toEqual(expect.arrayContaining(['confirmation', 'shipped', 'delivered']));
  expect(sms).not.toContain('out_for_delivery');
  expect(await story.receivedTypes('email')).toContain('out_for_delivery');
});

it('a delivery scan counts for a return at once, while the journey is still held up sending its confirmation', async () => {
  emailDown = true; // the receipt cannot go: the journey's own flow waits in its confirmation step
  const story = await OrderStory.start(world, { channels: ['email'] });
  const trackingNumber = `HLD${Math.random().toString(36).slice(2, 8)}`;
  await story.ship({ trackingNumber });
  await story.carrierSays(trackingNumber, 'delivered');
  const scanned = await story.until((v) => v.shipments[0]?.status === 'delivered', 'the delivery scan taken in');
  expect(scanned).toMatchObject({ stage: 'in_transit', deliveredAt: null, messages: [] });

  const sku = story.order.items[0]!.sku;
  expect(await story.requestReturn([{ sku, quantity: 1 }])).toEqual({ rmaId: `RMA-${story.order.orderId}-1` });

  emailDown = false;
  await story.wait(HOUR); // the confirmation's next retry
  await story.until((v) => v.deliveredAt !== null, 'the journey caught up with the delivery');
  await story.wait(60 * DAY);
  expect(await story.finish()).toMatchObject({ stage: 'completed' });
  expect(await story.receivedTypes('email')).toEqual(
    expect.arrayContaining(['confirmation', 'shipped', 'delivered', 'return_accepted']),
  );
});

/**
 * No activity failure fails a journey: a provider down for longer than a message's retry window
 * (src/domain/send-deadlines.ts) costs that message only. It is recorded as not sent — ledger "gave_up", the journey's
 * timeline, a support case for a transactional message — and the journey goes on to its end.
 */
import { Context } from '@temporalio/activity';
import { MessageLedger } from '../../src/db/ledger';
import { OutboxStore } from '../../src/db/outbox';
import { OutboxProvider } from '../../src/providers/outbox/outbox-provider';
import { ProviderError, type EmailProvider, type SmsProvider } from '../../src/providers/types';
import { testPool } from '../helpers/database';
import { productionPolicy } from '../../src/domain/policy';
import { sendDeadlineMs } from '../../src/domain/send-deadlines';
import { DAY, OrderStory, startJourneyWorld, type JourneyWorld } from '../helpers/journey-harness';

const HOUR = 3_600_000;
const pool = testPool();
let smsDown = false;
let emailDown = false;
/** Workflow time (the server's clock, which the test server skips) until which SendGrid answers 503. */
let emailDownUntil = 0;
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
    const attemptAt = Context.current().info.currentAttemptScheduledTimestampMs;
    if (emailDown || attemptAt < emailDownUntil)
      throw new ProviderError('sendgrid', 'email', '503', 'Service Unavailable', true);
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

it('a provider back before the end of a short retry window gets the message: the last attempts come near its end', async () => {
  // Retry "hours" of 15 s: the "delivered" email is retried for 12 of them, three minutes.
  const policy = { ...productionPolicy, secondsPerRetryHour: 15 };
  const windowMs = sendDeadlineMs('delivered', policy);
  expect(windowMs).toBe(180_000);
  const story = await OrderStory.place(world, { channels: ['email'] }, policy);
  const trackingNumber = `WIN${Math.random().toString(36).slice(2, 8)}`;
  await story.ship({ trackingNumber });
  await story.until((v) => v.messages.some((m) => m.messageType === 'shipped'), 'shipped email sent');

  // SendGrid down for the first 150 s of the window. Backing off to five minutes, Temporal gave the email up at about
  // 127 s (the next pause, 128 s, would have ended past the window); it was never tried again after SendGrid came back.
  emailDownUntil = (await story.now()).getTime() + 150_000;
  await story.carrierSays(trackingNumber, 'delivered');
  await story.wait(10 * 60_000);
  const view = await story.until(
    (v) => v.messages.some((m) => m.messageType === 'delivered'),
    'the delivered email settled',
  );
  expect(view.messages.find((m) => m.messageType === 'delivered')).toMatchObject({ status: 'sent' });
  const row = (await new MessageLedger(pool).forOrder(story.order.orderId)).find((r) => r.step.endsWith(':delivered'));
  expect(row).toMatchObject({ status: 'sent' });
  expect(row!.attempts).toBeGreaterThan(8); // it did fail through the outage first
});

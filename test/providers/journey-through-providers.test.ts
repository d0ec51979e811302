/**
 * A whole journey through the real providers: SendGrid and Twilio driven by their official SDKs, with real-looking
 * credentials, against the providers' published contracts served by Prism — no outbox. Every request the journey
 * makes must be accepted by the contract (Prism refuses any that breaks it), at production durations.
 */
import { loadConfig } from '../../src/config';
import { MessageLedger } from '../../src/db/ledger';
import { createProviders } from '../../src/providers';
import { OutboxStore } from '../../src/db/outbox';
import { specPath, startPrism, type ContractServer } from '../helpers/prism';
import { HAPPY_PATH_EMAILS } from '../helpers/fixtures';
import { OrderStory, startJourneyWorld, type JourneyWorld } from '../helpers/journey-harness';
import { testPool } from '../helpers/database';
import { SENDGRID_API_KEY, TWILIO_ACCOUNT } from './messages';

let sendgridApi: ContractServer;
let twilioApi: ContractServer;
let world: JourneyWorld;
const pool = testPool();

beforeAll(async () => {
  [sendgridApi, twilioApi] = await Promise.all([
    startPrism(specPath('tsg_mail_v3.json')),
    startPrism(specPath('twilio_api_v2010.json')),
  ]);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: process.env.TEST_DATABASE_URL,
    SENDGRID_API_KEY,
    SENDGRID_FROM: 'orders@test-shop.example',
    SENDGRID_BASE_URL: sendgridApi.url,
    TWILIO_ACCOUNT_SID: TWILIO_ACCOUNT.accountSid,
    TWILIO_AUTH_TOKEN: TWILIO_ACCOUNT.authToken,
    TWILIO_FROM: '+14155550100',
    TWILIO_STATUS_CALLBACK_URL: 'https://journeys.test-shop.example/v1/webhooks/twilio/status',
    TWILIO_BASE_URL: twilioApi.url,
  });
  const { email, sms } = createProviders(config, new OutboxStore(pool));
  expect([email.name, sms.name]).toEqual(['sendgrid', 'twilio']);
  world = await startJourneyWorld({ email, sms });
}, 60_000);

afterAll(async () => {
  await world?.stop();
  await Promise.all([sendgridApi?.stop(), twilioApi?.stop()]);
  await pool.end();
});

it('sends every message of a journey through SendGrid and Twilio, each request accepted by the published contract', async () => {
  const story = await OrderStory.place(world, { channels: ['email', 'sms'] });
  await story.ship({ trackingNumber: '1ZPROVIDER1' });
  await story.carrierSays('1ZPROVIDER1', 'out_for_delivery');
  await story.carrierSays('1ZPROVIDER1', 'delivered');
  await story.finish();

  // The order's own journey (its replenishment reminders, a workflow of their own, may add more later).
  const ledger = (await new MessageLedger(pool).forOrder(story.order.orderId)).filter(
    (e) => e.journeyId === story.handle.workflowId,
  );
  const types = HAPPY_PATH_EMAILS;
  expect(ledger.filter((e) => e.channel === 'email').map((e) => e.messageType)).toEqual(types);
  expect(ledger.filter((e) => e.channel === 'sms').map((e) => e.messageType)).toEqual(types);
  for (const entry of ledger) {
    expect(entry).toMatchObject({
      status: 'sent',
      provider: entry.channel === 'email' ? 'sendgrid' : 'twilio',
      errorCode: null,
    });
  }
  expect(
    ledger.filter((e) => e.channel === 'sms').every((e) => /^SM[0-9a-f]{32}$/i.test(e.providerMessageId ?? '')),
  ).toBe(true);

  // Nothing went to the local outbox, and the contract servers accepted every request they saw.
  expect(await world.outbox.list({ orderId: story.order.orderId })).toEqual([]);
  const ourEmails = sendgridApi.requests.filter((r) => r.body.includes(`"journeyId":"${story.handle.workflowId}"`));
  expect(ourEmails.map((r) => [r.status, r.violations])).toEqual(types.map(() => [202, '']));
  const ourSms = twilioApi.requests.filter((r) => decodeURIComponent(r.body).includes(story.order.orderId));
  expect(ourSms.length).toBeGreaterThanOrEqual(types.length - 1); // some SMS texts name no order number
  expect(twilioApi.requests.every((r) => r.status === 201 && r.violations === '')).toBe(true);
  expect(twilioApi.requests.length).toBeGreaterThanOrEqual(types.length);
});

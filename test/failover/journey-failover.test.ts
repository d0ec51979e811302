/**
 * A whole order journey at production durations (Temporal's time-skipping test server) while both primaries are down:
 * SendGrid answers 503 and Twilio cannot be reached. Every message of the journey goes out once, through Resend and
 * Vonage (official SDKs, local stand-ins), and the ledger names them.
 */
import { MessageLedger } from '../../src/db/ledger';
import { OutboxStore } from '../../src/db/outbox';
import { createProviders } from '../../src/providers';
import { testPool } from '../helpers/database';
import { HAPPY_PATH_EMAILS } from '../helpers/fixtures';
import { OrderStory, startJourneyWorld, type JourneyWorld } from '../helpers/journey-harness';
import { freePort } from '../helpers/postgres';
import { sendGridError, startProviderStub, type ProviderStub } from '../helpers/provider-stubs';
import { SENDGRID_API_KEY, TWILIO_ACCOUNT } from '../providers/messages';
import { startResendStandIn, type ResendStandIn } from './resend-stand-in';

const pool = testPool();
let sendgridApi: ProviderStub;
let vonageApi: ProviderStub;
let resendApi: ResendStandIn;
let world: JourneyWorld;

beforeAll(async () => {
  [sendgridApi, vonageApi, resendApi] = await Promise.all([
    startProviderStub(),
    startProviderStub(),
    startResendStandIn(),
  ]);
  sendgridApi.answerWith(sendGridError(503, [{ field: null, message: 'Service Unavailable' }]));
  vonageApi.answerWith({
    status: 200,
    body: { 'message-count': '1', messages: [{ to: '37126000000', 'message-id': 'vonage-accepted', status: '0' }] },
  });
  const { email, sms } = createProviders(
    {
      sendgrid: { apiKey: SENDGRID_API_KEY, from: 'orders@test-shop.example', baseUrl: sendgridApi.url },
      resend: { apiKey: 're_test_not_a_real_key', from: 'orders@test-shop.example', baseUrl: resendApi.url },
      twilio: { ...TWILIO_ACCOUNT, from: '+14155550100', baseUrl: `http://127.0.0.1:${await freePort()}` },
      vonage: { apiKey: 'abcd1234', apiSecret: 'not-a-real-secret-1', from: '+14155550100', baseUrl: vonageApi.url },
    },
    // No circuit breaker here: the breakers are keyed by provider name in the shared test database, where
    // email-failover.test.ts counts SendGrid's attempts against its own. Without one, every send tries the primary.
    new OutboxStore(pool),
  );
  world = await startJourneyWorld({ email, sms });
}, 60_000);

afterAll(async () => {
  await world?.stop();
  await Promise.all([sendgridApi?.stop(), vonageApi?.stop(), resendApi?.stop()]);
  await pool.end();
});

it('sends every message of the journey once, through the secondaries, while both primaries are down', async () => {
  const story = await OrderStory.place(world, { channels: ['email', 'sms'] });
  await story.ship({ trackingNumber: '1ZFAILOVER1' });
  await story.carrierSays('1ZFAILOVER1', 'out_for_delivery');
  await story.carrierSays('1ZFAILOVER1', 'delivered');
  await story.finish();

  const ledger = (await new MessageLedger(pool).forOrder(story.order.orderId)).filter(
    (e) => e.journeyId === story.handle.workflowId,
  );
  expect(ledger.filter((e) => e.channel === 'email').map((e) => e.messageType)).toEqual(HAPPY_PATH_EMAILS);
  expect(ledger.filter((e) => e.channel === 'sms').map((e) => e.messageType)).toEqual(HAPPY_PATH_EMAILS);
  for (const entry of ledger) {
    expect(entry).toMatchObject({ status: 'sent', provider: entry.channel === 'email' ? 'resend' : 'vonage' });
  }

  // Counted at the providers: each message exactly once, and nothing in the local outbox.
  const emailIds = ledger.filter((e) => e.channel === 'email').map((e) => e.id);
  const smsIds = ledger.filter((e) => e.channel === 'sms').map((e) => e.id);
  expect(emailIds.map((id) => resendApi.requests.filter((key) => key === id).length)).toEqual(emailIds.map(() => 1));
  const vonageRefs = vonageApi.requests.map((r) => (JSON.parse(r.body) as { 'client-ref': string })['client-ref']);
  expect(smsIds.map((id) => vonageRefs.filter((ref) => ref === id).length)).toEqual(smsIds.map(() => 1));
  expect(await world.outbox.list({ orderId: story.order.orderId })).toEqual([]);
  expect(sendgridApi.requests).toHaveLength(emailIds.length); // each tried once, refused (503), then failed over
  console.info(
    `journey failover: ${emailIds.length} emails → resend ${emailIds.length}, sendgrid 0 accepted; ` +
      `${smsIds.length} SMS → vonage ${smsIds.length}, twilio 0 (unreachable)`,
  );
});

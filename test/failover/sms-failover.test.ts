/**
 * SMS failover through the send activity: Twilio (primary) unreachable — connection refused, so provably nothing was
 * sent — and every SMS goes once through Vonage (secondary), both driven by their official SDKs; Twilio's refusal of a
 * number is final and never tried on Vonage.
 */
import { createNotifyActivities } from '../../src/activities/notify';
import { MessageLedger } from '../../src/db/ledger';
import { OutboxStore } from '../../src/db/outbox';
import { ProviderCircuits } from '../../src/db/provider-circuits';
import { createProviders } from '../../src/providers';
import { OutboxProvider } from '../../src/providers/outbox/outbox-provider';
import { aConfirmationToSend } from '../helpers/confirmation-sends';
import { testPool } from '../helpers/database';
import { freePort } from '../helpers/postgres';
import { startProviderStub, twilioError, type ProviderStub } from '../helpers/provider-stubs';
import { TEST_SHOP } from '../helpers/temporal';
import { TWILIO_ACCOUNT } from '../providers/messages';

const pool = testPool();
const ledger = new MessageLedger(pool);
let twilioApi: ProviderStub;
let vonageApi: ProviderStub;

beforeAll(async () => {
  [twilioApi, vonageApi] = await Promise.all([startProviderStub(), startProviderStub()]);
  vonageApi.answerWith({
    status: 200,
    body: { 'message-count': '1', messages: [{ to: '37126000000', 'message-id': 'vonage-accepted', status: '0' }] },
  });
});
afterAll(async () => {
  await Promise.all([twilioApi?.stop(), vonageApi?.stop()]);
  await pool.end();
});
beforeEach(async () => {
  await pool.query(`DELETE FROM provider_circuits WHERE provider IN ('twilio', 'vonage')`);
});

function sendActivity(twilioUrl: string) {
  const { sms } = createProviders(
    {
      twilio: { ...TWILIO_ACCOUNT, from: '+14155550100', baseUrl: twilioUrl },
      vonage: { apiKey: 'abcd1234', apiSecret: 'not-a-real-secret-1', from: '+14155550100', baseUrl: vonageApi.url },
    },
    new OutboxStore(pool),
    { breaker: new ProviderCircuits(pool, { failureThreshold: 3, openForMs: 60_000, probeTimeoutMs: 5_000 }) },
  );
  return createNotifyActivities({ ledger, sms, email: new OutboxProvider(new OutboxStore(pool)), shop: TEST_SHOP });
}

const aConfirmationSms = () => aConfirmationToSend('sms');

/** The ledger ids Vonage received, from each request's client-ref. */
const vonageRefs = () => vonageApi.requests.map((r) => (JSON.parse(r.body) as { 'client-ref': string })['client-ref']);

it('Twilio unreachable: every SMS goes once through Vonage, and the ledger says so', async () => {
  const notify = sendActivity(`http://127.0.0.1:${await freePort()}`);
  const outcomes = [];
  for (let i = 0; i < 8; i++) outcomes.push(await notify.sendCustomerMessage(aConfirmationSms()));

  expect(outcomes.map((o) => o.status)).toEqual(Array(8).fill('sent'));
  const ids = outcomes.map((o) => o.ledgerId);
  expect(ids.map((id) => vonageRefs().filter((ref) => ref === id).length)).toEqual(Array(8).fill(1));
  const { rows } = await pool.query<{ provider: string; uncertain_attempts: number }>(
    `SELECT provider, uncertain_attempts FROM message_ledger WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  expect(rows).toEqual(Array(8).fill({ provider: 'vonage', uncertain_attempts: 0 }));
  expect(
    (await new ProviderCircuits(pool, { failureThreshold: 3, openForMs: 1, probeTimeoutMs: 1 }).states()).twilio,
  ).toBe('open');
  const byProvider = (name: string) => rows.filter((r) => r.provider === name).length;
  console.info(
    `sms failover: Twilio unreachable, ${ids.length} messages → vonage ${byProvider('vonage')}, ` +
      `twilio ${byProvider('twilio')}`,
  );
});

it('a number Twilio refuses as invalid is final: Vonage never gets it', async () => {
  const notify = sendActivity(twilioApi.url);
  twilioApi.answerWith(twilioError(400, 21211, "The 'To' number is not a valid phone number."));

  const outcome = await notify.sendCustomerMessage(aConfirmationSms());

  expect(outcome).toMatchObject({ status: 'failed', error: { code: '21211' } });
  expect(vonageRefs()).not.toContain(outcome.ledgerId);
  expect(await ledger.find(outcome.ledgerId)).toMatchObject({ provider: 'twilio', status: 'failed' });
});

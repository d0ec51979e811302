/**
 * Email failover through the send activity, as a worker runs it: SendGrid (primary) and Resend (secondary) driven by
 * their official SDKs against local stand-ins, the ledger and the circuit breakers in PostgreSQL. Counted at the
 * providers: which one got each message, and that none got it twice.
 */
import { createNotifyActivities } from '../../src/activities/notify';
import { MessageLedger } from '../../src/db/ledger';
import { OutboxStore } from '../../src/db/outbox';
import { ProviderCircuits } from '../../src/db/provider-circuits';
import type { CircuitSettings } from '../../src/domain/provider-circuit';
import { createProviders } from '../../src/providers';
import { aConfirmationToSend } from '../helpers/confirmation-sends';
import { testPool } from '../helpers/database';
import { sendGridError, startProviderStub, type ProviderStub } from '../helpers/provider-stubs';
import { TEST_SHOP } from '../helpers/temporal';
import { SENDGRID_API_KEY } from '../providers/messages';
import { startResendStandIn, type ResendStandIn } from './resend-stand-in';

const pool = testPool();
const ledger = new MessageLedger(pool);
let sendgridApi: ProviderStub;
let resendApi: ResendStandIn;

beforeAll(async () => {
  [sendgridApi, resendApi] = await Promise.all([startProviderStub(), startResendStandIn()]);
});
afterAll(async () => {
  await Promise.all([sendgridApi?.stop(), resendApi?.stop()]);
  await pool.end();
});
beforeEach(async () => {
  // Each test starts with both circuits closed (no other test file uses these providers' names).
  await pool.query(`DELETE FROM provider_circuits WHERE provider IN ('sendgrid', 'resend')`);
});

const accepted = { status: 202, headers: { 'x-message-id': 'sg-accepted' } };
const outage = sendGridError(503, [{ field: null, message: 'Service Unavailable' }]);

function sendActivity(circuit: CircuitSettings) {
  const { email } = createProviders(
    {
      sendgrid: {
        apiKey: SENDGRID_API_KEY,
        from: 'orders@test-shop.example',
        baseUrl: sendgridApi.url,
        timeoutMs: 400,
      },
      resend: {
        apiKey: 're_test_not_a_real_key',
        from: 'orders@test-shop.example',
        baseUrl: resendApi.url,
        timeoutMs: 400,
      },
      failover: { maxRateLimitWaitMs: 5_000 },
    },
    new OutboxStore(pool),
    { breaker: new ProviderCircuits(pool, circuit) },
  );
  return createNotifyActivities({ ledger, email, sms: email as never, shop: TEST_SHOP });
}

const aConfirmationEmail = () => aConfirmationToSend('email');

/** Sends one message per input, one after another, as the email queue's worker would. */
async function sendAll(notify: ReturnType<typeof sendActivity>, count: number) {
  const outcomes = [];
  for (let i = 0; i < count; i++) outcomes.push(await notify.sendCustomerMessage(aConfirmationEmail()));
  return outcomes;
}

async function sentBy(ledgerIds: string[]): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ provider: string; count: number }>(
    `SELECT provider, count(*)::int AS count FROM message_ledger WHERE id = ANY($1::uuid[]) AND status = 'sent'
     GROUP BY provider`,
    [ledgerIds],
  );
  return Object.fromEntries(rows.map((r) => [r.provider, r.count]));
}

async function circuitState(provider: string) {
  const states = await new ProviderCircuits(pool, SETTINGS).states();
  return states[provider] ?? 'closed';
}

const SETTINGS: CircuitSettings = { failureThreshold: 3, openForMs: 60_000, probeTimeoutMs: 5_000 };

/**
 * The open period passes: its start moves back by a period, instead of the test waiting a minute (a short period
 * would make the test depend on how fast a loaded machine sends the outage's messages).
 */
async function openPeriodPasses(provider: string): Promise<void> {
  await pool.query(
    `UPDATE provider_circuits SET opened_at = opened_at - make_interval(secs => $2) WHERE provider = $1`,
    [provider, SETTINGS.openForMs / 1000],
  );
}

it('primary down: every message goes through the secondary exactly once; primary back: traffic returns to it', async () => {
  const notify = sendActivity(SETTINGS);
  const resendBefore = resendApi.requests.length;
  const sendgridBefore = sendgridApi.requests.length;

  // SendGrid answers 503 to everything: the first three sends try it and fail over; then its circuit opens.
  sendgridApi.answerWith(outage);
  const duringOutage = await sendAll(notify, 20);
  expect(duringOutage.map((o) => o.status)).toEqual(Array(20).fill('sent'));
  const outageIds = duringOutage.map((o) => o.ledgerId);
  expect(await sentBy(outageIds)).toEqual({ resend: 20 });
  expect(sendgridApi.requests.length - sendgridBefore).toBe(3); // then skipped: the circuit is open
  expect(resendApi.requests.length - resendBefore).toBe(20); // each message once, no repeats
  expect(outageIds.filter((id) => resendApi.emails.has(id))).toHaveLength(20);
  expect(await circuitState('sendgrid')).toBe('open');

  // SendGrid recovers. Within the open period, traffic still goes to Resend.
  sendgridApi.answerWith(accepted);
  const stillOpen = await sendAll(notify, 2);
  expect(await sentBy(stillOpen.map((o) => o.ledgerId))).toEqual({ resend: 2 });

  // After it, one probe goes to SendGrid, succeeds and closes the circuit: everything is back on SendGrid.
  await openPeriodPasses('sendgrid');
  const recovered = await sendAll(notify, 10);
  expect(await sentBy(recovered.map((o) => o.ledgerId))).toEqual({ sendgrid: 10 });
  expect(await circuitState('sendgrid')).toBe('closed');
  expect(resendApi.requests.length - resendBefore).toBe(22);
  console.info(
    `email failover: outage 20 messages → resend 20, sendgrid 0 (3 attempts before its circuit opened); ` +
      `open period 2 → resend 2; recovered 10 → sendgrid 10`,
  );
});

it('an unanswered call to the primary is retried on the primary only, even with its circuit open', async () => {
  const notify = sendActivity({ ...SETTINGS, failureThreshold: 1 }); // one timeout opens SendGrid's circuit
  const input = aConfirmationEmail();

  sendgridApi.answerWith({ status: 202, hang: true });
  await expect(notify.sendCustomerMessage(input)).rejects.toMatchObject({ type: 'ProviderUnavailable' });
  expect(await circuitState('sendgrid')).toBe('open');

  // Temporal retries the activity: SendGrid may have the message, so Resend must not get it.
  sendgridApi.answerWith(accepted);
  const sendgridBefore = sendgridApi.requests.length;
  const outcome = await notify.sendCustomerMessage(input);

  expect(outcome.status).toBe('sent');
  expect(resendApi.requests).not.toContain(outcome.ledgerId);
  expect(sendgridApi.requests.length - sendgridBefore).toBe(1);
  expect(await ledger.find(outcome.ledgerId)).toMatchObject({ provider: 'sendgrid', status: 'sent' });
});

it('an unanswered call to the secondary is retried there with the same idempotency key: one email', async () => {
  const notify = sendActivity({ ...SETTINGS, failureThreshold: 1 });
  const input = aConfirmationEmail();

  sendgridApi.answerWith(outage); // fails over at once …
  resendApi.loseNextAnswer(); // … and Resend takes the email, but its answer is lost
  await expect(notify.sendCustomerMessage(input)).rejects.toMatchObject({ type: 'ProviderUnavailable' });

  sendgridApi.answerWith(accepted); // SendGrid healthy again and ready for a probe: the retry stays with Resend
  await openPeriodPasses('sendgrid');
  const outcome = await notify.sendCustomerMessage(input);

  expect(outcome.status).toBe('sent');
  expect(resendApi.requests.filter((key) => key === outcome.ledgerId)).toHaveLength(2);
  expect(resendApi.emails.has(outcome.ledgerId)).toBe(true); // one email for both requests
  expect(await ledger.find(outcome.ledgerId)).toMatchObject({ provider: 'resend', status: 'sent' });
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM message_ledger WHERE id = $1`, [outcome.ledgerId]);
  expect(rows[0].n).toBe(1);
});

it('a final refusal by the primary is not failed over: the message is recorded as failed', async () => {
  const notify = sendActivity(SETTINGS);
  sendgridApi.answerWith(sendGridError(400, [{ field: 'from.email', message: 'The from address does not match' }]));

  const outcome = await notify.sendCustomerMessage(aConfirmationEmail());

  expect(outcome).toMatchObject({ status: 'failed', error: { code: '400' } });
  expect(resendApi.requests).not.toContain(outcome.ledgerId);
  expect(await ledger.find(outcome.ledgerId)).toMatchObject({ provider: 'sendgrid', status: 'failed' });
  expect(await circuitState('sendgrid')).toBe('closed'); // a refusal of the message says SendGrid works
});

it('a short rate limit is waited out on the primary, not failed over', async () => {
  const notify = sendActivity(SETTINGS);
  const resetIn2s = String(Math.ceil(Date.now() / 1000) + 2);
  sendgridApi.answerWith(
    sendGridError(429, [{ field: null, message: 'too many requests' }], { 'x-ratelimit-reset': resetIn2s }),
  );
  const input = aConfirmationEmail();

  await expect(notify.sendCustomerMessage(input)).rejects.toMatchObject({ type: 'ProviderUnavailable' });
  const { id: ledgerId, status } = await ledger.claim({ ...input, messageType: 'confirmation' });
  expect(status).toBe('pending');
  expect(resendApi.requests).not.toContain(ledgerId);
});

/**
 * Resend's signed webhook (Resend is the failover email provider): events signed here the way Svix signs them for
 * Resend — HMAC-SHA256 with the endpoint's `whsec_` secret over `id.timestamp.body`, in `svix-*` headers — written
 * from Resend's and Svix's documented scheme rather than with the SDK the app verifies with, so a mismatch between the
 * two would show. The ledger, consent store and engagement records are real (PostgreSQL).
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { ConsentStore } from '../../src/db/consent';
import { MessageLedger } from '../../src/db/ledger';
import { WebhookInbox } from '../../src/db/webhook-events';
import { testPool } from '../helpers/database';
import { uniqueId } from '../helpers/fixtures';
import { aSentMessage, ledgerRow, webhookApp } from './webhook-app';

const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const RESEND = { RESEND_API_KEY: 're_test_key', RESEND_FROM: 'orders@test-shop.example' };
const pool = testPool();
const ledger = new MessageLedger(pool);
const consent = new ConsentStore(pool);
const inbox = new WebhookInbox(pool);
const { app, stats } = webhookApp(pool, { ...RESEND, RESEND_WEBHOOK_SECRET: SECRET });
afterAll(() => pool.end());

interface Signed {
  body: string;
  headers: Record<string, string>;
}

/** Signs as Svix does for Resend; `at` in Unix seconds. */
function signed(
  event: object,
  { secret = SECRET, at = Math.floor(Date.now() / 1000), id = `msg_${randomUUID()}` } = {},
) {
  const body = JSON.stringify(event);
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${at}.${body}`).digest('base64');
  return { body, headers: { 'svix-id': id, 'svix-timestamp': String(at), 'svix-signature': `v1,${signature}` } };
}

function post(message: Signed, to = app) {
  return request(to)
    .post('/v1/webhooks/resend/events')
    .set({ 'content-type': 'application/json', ...message.headers })
    .send(message.body);
}

/** A Resend event about one of our emails: the ledger id comes back as a tag. */
function anEvent(type: string, ledgerId: string, emailId: string, data: Record<string, unknown> = {}) {
  return {
    type,
    created_at: new Date().toISOString(),
    data: {
      email_id: emailId,
      created_at: new Date().toISOString(),
      from: 'Test Shop <orders@test-shop.example>',
      // Never the fixtures' address: an opt-out recorded here would silence other tests' customers.
      to: [`${uniqueId('anna')}@example.com`],
      subject: 'Thank you for your order',
      tags: { ledgerId, journeyId: 'order-ord-1', step: 'confirmation' },
      ...data,
    },
  };
}

async function aResendEmail() {
  const emailId = randomUUID();
  return { ...(await aSentMessage(ledger, 'email', 'resend', emailId)), emailId };
}

describe('POST /v1/webhooks/resend/events', () => {
  it('marks a delivered email delivered', async () => {
    const sent = await aResendEmail();
    await post(signed(anEvent('email.delivered', sent.id, sent.emailId))).expect(200, { received: 1 });
    expect(await ledgerRow(ledger, sent.orderId)).toMatchObject({ status: 'delivered', provider: 'resend' });
  });

  it('applies a repeated event once: a replayed complaint is not recorded again', async () => {
    const sent = await aResendEmail();
    const email = `${uniqueId('again')}@example.com`;
    // Without created_at the complaint counts as of its arrival: a second application would overrule the opt-in.
    const { created_at: _undated, ...undated } = anEvent('email.complained', sent.id, sent.emailId, { to: [email] });
    const complaint = signed(undated);
    await post(complaint).expect(200);
    await consent.record({ channel: 'email', address: email, status: 'opted_in', source: 'support', reason: 'asked' });

    await post(complaint).expect(200); // the same svix-id: the customer's later opt-in stands
    expect(await consent.get('email', email)).toMatchObject({ status: 'opted_in' });
  });

  it('finds the message by Resend’s email id when the tag is missing', async () => {
    const sent = await aResendEmail();
    const event = anEvent('email.delivered', sent.id, sent.emailId);
    delete (event.data as Partial<typeof event.data>).tags;
    await post(signed(event)).expect(200);
    expect(await ledgerRow(ledger, sent.orderId)).toMatchObject({ status: 'delivered' });
  });

  it('a permanent bounce fails the message without the address and stops email to it; a transient one keeps it', async () => {
    const hard = await aResendEmail();
    const email = `${uniqueId('bounce')}@example.com`;
    const bounce = { type: 'Permanent', subType: 'General', message: `550 <${email}>: mailbox unavailable` };
    await post(signed(anEvent('email.bounced', hard.id, hard.emailId, { to: [email], bounce }))).expect(200);
    expect(await ledgerRow(ledger, hard.orderId)).toMatchObject({
      status: 'failed',
      errorCode: 'bounce',
      errorMessage: 'bounced: 550 <[email]>: mailbox unavailable',
    });
    expect(await consent.get('email', email)).toMatchObject({ status: 'opted_out', source: 'resend:bounce' });

    const soft = await aResendEmail();
    const kept = `${uniqueId('soft')}@example.com`;
    const transient = { type: 'Transient', subType: 'MailboxFull', message: 'mailbox full' };
    await post(signed(anEvent('email.bounced', soft.id, soft.emailId, { to: [kept], bounce: transient }))).expect(200);
    expect(await ledgerRow(ledger, soft.orderId)).toMatchObject({ status: 'failed', errorCode: 'blocked' });
    expect(await consent.get('email', kept)).toBeNull();
  });

  it('records a suppressed or failed email as failed, and a complaint as an opt-out', async () => {
    const suppressed = await aResendEmail();
    const held = { suppressed: { type: 'OnAccountSuppressionList', message: 'on the suppression list' } };
    await post(signed(anEvent('email.suppressed', suppressed.id, suppressed.emailId, held))).expect(200);
    expect(await ledgerRow(ledger, suppressed.orderId)).toMatchObject({ status: 'failed', errorCode: 'suppressed' });

    const failed = await aResendEmail();
    const reason = { failed: { reason: 'reached_daily_quota' } };
    await post(signed(anEvent('email.failed', failed.id, failed.emailId, reason))).expect(200);
    expect(await ledgerRow(ledger, failed.orderId)).toMatchObject({
      status: 'failed',
      errorCode: 'failed',
      errorMessage: 'failed: reached_daily_quota',
    });

    const complained = await aResendEmail();
    const email = `${uniqueId('spam')}@example.com`;
    await post(signed(anEvent('email.complained', complained.id, complained.emailId, { to: [email] }))).expect(200);
    expect(await consent.get('email', email)).toMatchObject({ status: 'opted_out', source: 'resend:complaint' });
  });

  it('records opens and clicks against the message for the funnel, once per event', async () => {
    const sent = await aResendEmail();
    const opened = signed(anEvent('email.opened', sent.id, sent.emailId));
    await post(opened).expect(200);
    await post(opened).expect(200);
    await post(signed(anEvent('email.clicked', sent.id, sent.emailId, { click: { link: 'https://shop.example/x' } })));

    const { rows } = await pool.query<{ kind: string; n: number }>(
      `SELECT kind, count(*)::int AS n FROM message_engagement_events WHERE ledger_id = $1 GROUP BY kind ORDER BY kind`,
      [sent.id],
    );
    expect(rows).toEqual([
      { kind: 'click', n: 1 },
      { kind: 'open', n: 1 },
    ]);
  });

  it('refuses a tampered body, another secret’s signature, missing headers and a stale timestamp (401), changing nothing', async () => {
    const sent = await aResendEmail();
    const event = anEvent('email.delivered', sent.id, sent.emailId);
    const before = stats.refusedFor('resend');

    const tampered = signed(event);
    await post({ ...tampered, body: tampered.body.replace('email.delivered', 'email.complained') }).expect(401);
    await post(signed(event, { secret: `whsec_${randomBytes(24).toString('base64')}` })).expect(401);
    await request(app)
      .post('/v1/webhooks/resend/events')
      .set('content-type', 'application/json')
      .send('{}')
      .expect(401);
    const stale = await post(signed(event, { at: Math.floor(Date.now() / 1000) - 3600 })).expect(401);
    expect(stale.body.error.message).toMatch(/stale timestamp/);

    expect(stats.refusedFor('resend') - before).toBe(4);
    expect(await ledgerRow(ledger, sent.orderId)).toMatchObject({ status: 'sent' });
  });

  it('answers 400 for a signed body that is not a Resend event, and 202 for an email it never sent (kept)', async () => {
    await post(signed(['not', 'an', 'event'])).expect(400);

    const ledgerId = randomUUID();
    await post(signed(anEvent('email.delivered', ledgerId, randomUUID()))).expect(202);
    expect(await inbox.unmatched({ provider: 'resend', lookupKey: ledgerId })).toEqual([
      expect.objectContaining({ reason: 'unknown_message', event: expect.objectContaining({ ledgerId }) }),
    ]);
  });

  it('answers 503 without a signing secret, so Resend retries once one is set', async () => {
    const { app: unconfigured } = webhookApp(pool, RESEND);
    const sent = await aResendEmail();
    const res = await post(signed(anEvent('email.delivered', sent.id, sent.emailId)), unconfigured).expect(503);
    expect(res.body.error.code).toBe('webhook_not_configured');
  });
});

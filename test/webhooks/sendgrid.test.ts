/**
 * SendGrid's signed Event Webhook: an ECDSA P-256 key pair made here stands in for SendGrid's (it signs timestamp + raw
 * body, as SendGrid does); the app verifies with the public key from SENDGRID_WEBHOOK_PUBLIC_KEY.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createNotifyActivities } from '../../src/activities/notify';
import { ConsentStore } from '../../src/db/consent';
import { MessageLedger } from '../../src/db/ledger';
import { OutboxStore } from '../../src/db/outbox';
import { WebhookInbox } from '../../src/db/webhook-events';
import { OutboxProvider } from '../../src/providers/outbox/outbox-provider';
import { testPool } from '../helpers/database';
import { uniqueId } from '../helpers/fixtures';
import { TEST_SHOP } from '../helpers/temporal';
import { SENDGRID_API_KEY } from '../providers/messages';
import { postSendGridEvents, sendGridSigner, type SignedEvents } from './sendgrid-signer';
import { aSentMessage, ledgerRow, webhookApp } from './webhook-app';

const sendgrid = sendGridSigner();
const pool = testPool();
const ledger = new MessageLedger(pool);
const consent = new ConsentStore(pool);
const inbox = new WebhookInbox(pool);
const { app, stats } = webhookApp(pool, {
  SENDGRID_API_KEY,
  SENDGRID_FROM: 'orders@test-shop.example',
  SENDGRID_WEBHOOK_PUBLIC_KEY: sendgrid.publicKeyBase64,
});
afterAll(() => pool.end());

const signed = sendgrid.signed;
const post = (events: SignedEvents) => postSendGridEvents(app, events);

/** A SendGrid event for one of our emails: custom args (ledgerId…) come back as top-level fields. */
function anEvent(event: string, ledgerId: string, fields: Record<string, unknown> = {}) {
  return {
    // Never the fixtures' address: an opt-out recorded here would silence other tests' customers.
    email: `${uniqueId('Anna')}@Example.com`,
    timestamp: Math.floor(Date.now() / 1000),
    'smtp-id': '<14c5d75ce93.dfd.64b469@ismtpd-555>',
    event,
    category: ['confirmation'],
    sg_event_id: randomUUID(),
    sg_message_id: `x-msg-${ledgerId.slice(0, 8)}.filterdrecv-p3las1-5bf99c48d-wwt4h-18-5F2B1F0E-35.0`,
    ledgerId,
    journeyId: 'order-ord-1',
    step: 'confirmation',
    messageType: 'confirmation',
    ...fields,
  };
}

describe('POST /v1/webhooks/sendgrid/events', () => {
  it('marks delivered email delivered', async () => {
    const sent = await aSentMessage(ledger, 'email', 'sendgrid', uniqueId('x-msg'));
    await post(signed(JSON.stringify([anEvent('processed', sent.id), anEvent('delivered', sent.id)]))).expect(200);
    expect(await ledgerRow(ledger, sent.orderId)).toMatchObject({ status: 'delivered' });
  });

  it('a hard bounce fails the message with the reason, without the address, and stops email to the address', async () => {
    const sent = await aSentMessage(ledger, 'email', 'sendgrid', uniqueId('x-msg'));
    const email = `${uniqueId('bounce')}@example.com`;
    const bounce = anEvent('bounce', sent.id, {
      email,
      type: 'bounce',
      status: '5.1.1',
      reason: `550 5.1.1 <${email}>: Recipient address rejected: User unknown`,
    });
    await post(signed(JSON.stringify([bounce]))).expect(200);

    expect(await ledgerRow(ledger, sent.orderId)).toMatchObject({
      status: 'failed',
      errorCode: 'bounce',
      errorMessage: 'bounced: 550 5.1.1 <[email]>: Recipient address rejected: User unknown',
    });
    expect(await consent.get('email', email.toUpperCase())).toMatchObject({
      status: 'opted_out',
      source: 'sendgrid:bounce',
    });

    // The journey's next email to that address is skipped.
    const provider = new OutboxProvider(new OutboxStore(pool));
    const notify = createNotifyActivities({
      ledger,
      email: provider,
      sms: provider,
      shop: TEST_SHOP,
      consent,
    });
    const orderId = uniqueId('ord');
    const outcome = await notify.sendCustomerMessage({
      journeyId: `order-${orderId}`,
      orderId,
      step: 'confirmation',
      channel: 'email',
      to: email,
      message: { messageType: 'confirmation', data: {} } as never,
    });
    expect(outcome).toMatchObject({ status: 'skipped', error: { code: 'opted_out' } });
  });

  it('a soft block fails the message but keeps the address', async () => {
    const sent = await aSentMessage(ledger, 'email', 'sendgrid', uniqueId('x-msg'));
    const email = `${uniqueId('blocked')}@example.com`;
    await post(
      signed(JSON.stringify([anEvent('bounce', sent.id, { email, type: 'blocked', reason: '421 try again later' })])),
    ).expect(200);
    expect(await ledgerRow(ledger, sent.orderId)).toMatchObject({ status: 'failed', errorCode: 'blocked' });
    expect(await consent.get('email', email)).toBeNull();
  });

  it('records dropped email as failed, and a spam report or unsubscribe as an opt-out', async () => {
    const dropped = await aSentMessage(ledger, 'email', 'sendgrid', uniqueId('x-msg'));
    const spam = `${uniqueId('spam')}@example.com`;
    const unsubscribed = `${uniqueId('unsub')}@example.com`;
    await post(
      signed(
        JSON.stringify([
          anEvent('dropped', dropped.id, { reason: 'Bounced Address' }),
          anEvent('spamreport', dropped.id, { email: spam }),
          anEvent('unsubscribe', dropped.id, { email: unsubscribed }),
        ]),
      ),
    ).expect(200);
    expect(await ledgerRow(ledger, dropped.orderId)).toMatchObject({
      status: 'failed',
      errorCode: 'dropped',
      errorMessage: 'dropped: Bounced Address',
    });
    expect(await consent.get('email', spam)).toMatchObject({ status: 'opted_out', source: 'sendgrid:spamreport' });
    expect(await consent.get('email', unsubscribed)).toMatchObject({
      status: 'opted_out',
      source: 'sendgrid:unsubscribe',
    });
  });

  it('refuses a tampered batch, a missing signature and another key’s signature (401), and changes nothing', async () => {
    const sent = await aSentMessage(ledger, 'email', 'sendgrid', uniqueId('x-msg'));
    const before = stats.refusedFor('sendgrid');
    const genuine = signed(JSON.stringify([anEvent('delivered', sent.id)]));
    const tampered = { ...genuine, payload: genuine.payload.replace('"delivered"', '"bounce"') };
    await post(tampered).expect(401);
    await request(app)
      .post('/v1/webhooks/sendgrid/events')
      .set('Content-Type', 'application/json')
      .send(genuine.payload)
      .expect(401);
    const stranger = sendGridSigner(); // another key signs the same body and timestamp
    await post(stranger.signed(genuine.payload, genuine.timestamp)).expect(401);
    await post({ ...genuine, signature: 'not-a-signature' }).expect(401);
    expect(await ledgerRow(ledger, sent.orderId)).toMatchObject({ status: 'sent' });
    expect(stats.refusedFor('sendgrid')).toBe(before + 4);
  });

  it('refuses a genuine request replayed after the timestamp window, and handles a quick replay once', async () => {
    const sent = await aSentMessage(ledger, 'email', 'sendgrid', uniqueId('x-msg'));
    const bounce = anEvent('bounce', sent.id, { type: 'bounce', reason: 'user unknown' });
    const old = signed(JSON.stringify([bounce]), String(Math.floor(Date.now() / 1000) - 3600));
    const res = await post(old).expect(401);
    expect(res.body.error.message).toContain('stale timestamp');
    expect(await ledgerRow(ledger, sent.orderId)).toMatchObject({ status: 'sent' });

    const fresh = signed(JSON.stringify([bounce]));
    await post(fresh).expect(200);
    await pool.query(`UPDATE message_ledger SET status = 'sent', error_code = NULL WHERE id = $1`, [sent.id]); // as if undone
    await post(fresh).expect(200);
    expect(await ledgerRow(ledger, sent.orderId)).toMatchObject({ status: 'sent', errorCode: null });
  });

  it('answers 202 for an event about an email it never sent, and keeps it for support', async () => {
    const ledgerId = randomUUID();
    await post(signed(JSON.stringify([anEvent('delivered', ledgerId)]))).expect(202);
    expect(await inbox.unmatched({ provider: 'sendgrid', lookupKey: ledgerId })).toEqual([
      expect.objectContaining({
        reason: 'unknown_message',
        event: expect.objectContaining({ event: 'delivered', ledgerId, status: 'delivered' }),
      }),
    ]);
  });
});

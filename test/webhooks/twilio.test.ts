/**
 * Twilio's webhooks, signed as Twilio signs them (twilio.getExpectedTwilioSignature over the public URL and the form):
 * delivery reports update the ledger, customers' STOP / START / HELP replies update the consent store.
 */
import request from 'supertest';
import twilio from 'twilio';
import { createNotifyActivities } from '../../src/activities/notify';
import { ConsentStore } from '../../src/db/consent';
import { MessageLedger } from '../../src/db/ledger';
import { OutboxStore } from '../../src/db/outbox';
import { WebhookInbox } from '../../src/db/webhook-events';
import { OutboxProvider } from '../../src/providers/outbox/outbox-provider';
import { testPool } from '../helpers/database';
import { uniqueId, uniquePhone } from '../helpers/fixtures';
import { TEST_SHOP } from '../helpers/temporal';
import { TWILIO_ACCOUNT } from '../providers/messages';
import { aSentMessage, ledgerRow, PUBLIC_BASE_URL, webhookApp } from './webhook-app';

const pool = testPool();
const ledger = new MessageLedger(pool);
const consent = new ConsentStore(pool);
const inbox = new WebhookInbox(pool);
const { app, stats } = webhookApp(pool, {
  TWILIO_ACCOUNT_SID: TWILIO_ACCOUNT.accountSid,
  TWILIO_AUTH_TOKEN: TWILIO_ACCOUNT.authToken,
  TWILIO_FROM: '+14155550100',
  TWILIO_STATUS_CALLBACK_URL: `${PUBLIC_BASE_URL}/v1/webhooks/twilio/status`,
  SHOP_NAME: 'Test Shop',
  SUPPORT_EMAIL: 'help@test-shop.example',
});
afterAll(() => pool.end());

/** Posts the form as Twilio would, signed for `path` (query included), or with the signature given. */
function twilioPost(
  path: string,
  form: Record<string, string>,
  signature = twilio.getExpectedTwilioSignature(TWILIO_ACCOUNT.authToken, `${PUBLIC_BASE_URL}${path}`, form),
) {
  return request(app).post(path).type('form').set('X-Twilio-Signature', signature).send(form);
}

const sid = () => `SM${uniqueId('x').replace(/\W/g, '').padEnd(32, '0').slice(0, 32)}`;
const aPhone = uniquePhone;

function statusReport(messageSid: string, status: string, extra: Record<string, string> = {}) {
  return {
    AccountSid: TWILIO_ACCOUNT.accountSid,
    MessageSid: messageSid,
    SmsSid: messageSid,
    MessageStatus: status,
    SmsStatus: status,
    To: aPhone(),
    From: '+14155550100',
    ApiVersion: '2010-04-01',
    ...extra,
  };
}

describe('POST /v1/webhooks/twilio/status', () => {
  it('marks the SMS delivered, found by the ledger id in the callback URL', async () => {
    const messageSid = sid();
    const sent = await aSentMessage(ledger, 'sms', 'twilio', messageSid);
    await twilioPost(`/v1/webhooks/twilio/status?ledgerId=${sent.id}`, statusReport(messageSid, 'delivered')).expect(
      200,
    );
    expect(await ledgerRow(ledger, sent.orderId)).toMatchObject({ status: 'delivered', providerMessageId: messageSid });
  });

  it('records an undelivered SMS with Twilio’s error code and reason, and a landline as an invalid number', async () => {
    const messageSid = sid();
    const phone = aPhone();
    const sent = await aSentMessage(ledger, 'sms', 'twilio', messageSid);
    await twilioPost(
      `/v1/webhooks/twilio/status?ledgerId=${sent.id}`,
      statusReport(messageSid, 'undelivered', { ErrorCode: '30006', To: phone }),
    ).expect(200);
    expect(await ledgerRow(ledger, sent.orderId)).toMatchObject({
      status: 'failed',
      errorCode: '30006',
      errorMessage: 'undelivered: landline or unreachable carrier',
    });
    expect(await consent.get('sms', phone)).toMatchObject({ status: 'invalid', source: 'twilio:30006' });
  });

  it('finds the message by its Twilio sid when the callback has no ledger id', async () => {
    const messageSid = sid();
    const sent = await aSentMessage(ledger, 'sms', 'twilio', messageSid);
    await twilioPost('/v1/webhooks/twilio/status', statusReport(messageSid, 'failed', { ErrorCode: '30007' })).expect(
      200,
    );
    expect(await ledgerRow(ledger, sent.orderId)).toMatchObject({ status: 'failed', errorCode: '30007' });
  });

  it('refuses a tampered report (401) and changes nothing', async () => {
    const messageSid = sid();
    const sent = await aSentMessage(ledger, 'sms', 'twilio', messageSid);
    const path = `/v1/webhooks/twilio/status?ledgerId=${sent.id}`;
    const signedFor = statusReport(messageSid, 'delivered');
    const signature = twilio.getExpectedTwilioSignature(
      TWILIO_ACCOUNT.authToken,
      `${PUBLIC_BASE_URL}${path}`,
      signedFor,
    );
    const before = stats.refusedFor('twilio');

    const res = await twilioPost(
      path,
      { ...signedFor, MessageStatus: 'undelivered', ErrorCode: '30003' },
      signature,
    ).expect(401);
    expect(res.body.error.code).toBe('invalid_signature');
    await request(app).post(path).type('form').send(signedFor).expect(401); // no signature at all
    // Signed for another message's URL: the ledger id is part of what Twilio signs.
    const other = await aSentMessage(ledger, 'sms', 'twilio', sid());
    await twilioPost(`/v1/webhooks/twilio/status?ledgerId=${other.id}`, signedFor, signature).expect(401);

    expect(await ledgerRow(ledger, sent.orderId)).toMatchObject({ status: 'sent' });
    expect(await ledgerRow(ledger, other.orderId)).toMatchObject({ status: 'sent' });
    expect(stats.refusedFor('twilio')).toBe(before + 3);
  });

  it('handles a replayed report once', async () => {
    const messageSid = sid();
    const sent = await aSentMessage(ledger, 'sms', 'twilio', messageSid);
    const path = `/v1/webhooks/twilio/status?ledgerId=${sent.id}`;
    await twilioPost(path, statusReport(messageSid, 'undelivered', { ErrorCode: '30003' })).expect(200);
    await pool.query(`UPDATE message_ledger SET status = 'sent', error_code = NULL WHERE id = $1`, [sent.id]); // as if undone
    await twilioPost(path, statusReport(messageSid, 'undelivered', { ErrorCode: '30003' })).expect(200);
    expect(await ledgerRow(ledger, sent.orderId)).toMatchObject({ status: 'sent', errorCode: null });
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM webhook_events WHERE provider = 'twilio' AND event_id = $1`,
      [`status:${messageSid}:undelivered`],
    );
    expect(rows[0].n).toBe(1);
  });

  it('answers 202 for a message it never sent, and keeps the report for support', async () => {
    const messageSid = sid();
    await twilioPost('/v1/webhooks/twilio/status', statusReport(messageSid, 'delivered')).expect(202);
    expect(await inbox.unmatched({ provider: 'twilio', lookupKey: messageSid })).toEqual([
      expect.objectContaining({ reason: 'unknown_message', event: { messageSid, status: 'delivered' } }),
    ]);
  });

  it('ignores the intermediate statuses', async () => {
    const messageSid = sid();
    const sent = await aSentMessage(ledger, 'sms', 'twilio', messageSid);
    await twilioPost(`/v1/webhooks/twilio/status?ledgerId=${sent.id}`, statusReport(messageSid, 'sent')).expect(200);
    expect(await ledgerRow(ledger, sent.orderId)).toMatchObject({ status: 'sent' });
  });
});

describe('POST /v1/webhooks/twilio/inbound', () => {
  const inbound = (from: string, body: string, messageSid = sid()) =>
    twilioPost('/v1/webhooks/twilio/inbound', {
      AccountSid: TWILIO_ACCOUNT.accountSid,
      MessageSid: messageSid,
      From: from,
      To: '+14155550100',
      Body: body,
      NumMedia: '0',
    });

  it.each(['STOP', 'stop', ' Stop. ', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'])(
    '"%s" opts the number out of SMS',
    async (keyword) => {
      const phone = aPhone();
      const res = await inbound(phone, keyword).expect(200);
      expect(res.type).toBe('text/xml');
      expect(res.text).toContain('<Response/>'); // Twilio confirms the opt-out itself
      expect(await consent.get('sms', phone)).toMatchObject({ status: 'opted_out', source: 'twilio:inbound' });
    },
  );

  it.each(['START', 'yes', 'UNSTOP'])('"%s" opts the number back in', async (keyword) => {
    const phone = aPhone();
    await inbound(phone, 'STOP').expect(200);
    await inbound(phone, keyword).expect(200);
    expect(await consent.get('sms', phone)).toMatchObject({ status: 'opted_in' });
  });

  it.each(['HELP', 'info'])(
    '"%s" gets a help reply with the shop’s contact, and changes no consent',
    async (keyword) => {
      const phone = aPhone();
      const res = await inbound(phone, keyword).expect(200);
      expect(res.text).toMatch(
        /<Response><Message>Test Shop: .*help@test-shop\.example.*STOP.*<\/Message><\/Response>/,
      );
      expect(await consent.get('sms', phone)).toBeNull();
    },
  );

  it('leaves a message that only mentions a keyword alone', async () => {
    const phone = aPhone();
    await inbound(phone, 'Stop sending the wrong size please').expect(200);
    expect(await consent.get('sms', phone)).toBeNull();
  });

  it('refuses an unsigned or tampered STOP', async () => {
    const phone = aPhone();
    const form = { MessageSid: sid(), From: phone, Body: 'HELP' };
    const signature = twilio.getExpectedTwilioSignature(
      TWILIO_ACCOUNT.authToken,
      `${PUBLIC_BASE_URL}/v1/webhooks/twilio/inbound`,
      form,
    );
    await twilioPost('/v1/webhooks/twilio/inbound', { ...form, Body: 'STOP' }, signature).expect(401);
    await request(app)
      .post('/v1/webhooks/twilio/inbound')
      .type('form')
      .send({ ...form, Body: 'STOP' })
      .expect(401);
    expect(await consent.get('sms', phone)).toBeNull();
  });

  it('a customer who replied STOP gets no more SMS: the next one is skipped, not sent', async () => {
    const phone = aPhone();
    await inbound(phone, 'STOP').expect(200);
    const outbox = new OutboxStore(pool);
    const provider = new OutboxProvider(outbox);
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
      step: 'parcel:1Z1:shipped',
      channel: 'sms',
      to: phone,
      message: { messageType: 'review_reminder', data: { order: { orderId, locale: 'en' }, items: [] } } as never,
    });
    expect(outcome).toMatchObject({ status: 'skipped', error: { code: 'opted_out' } });
    expect(await ledgerRow(ledger, orderId)).toMatchObject({ status: 'skipped', errorCode: 'opted_out' });
    expect(await outbox.list({ orderId })).toEqual([]);
  });
});

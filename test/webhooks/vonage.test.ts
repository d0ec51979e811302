/**
 * Vonage's signed SMS delivery receipts (Vonage is the failover SMS provider). Receipts carry the fields of Vonage's
 * published `DeliveryReceipt` (test/contracts/specs/vonage_sms.yml, checked below) and are signed here the way
 * Vonage documents signed webhooks — the fields sorted by name as `&name=value` (`&` and `=` in values replaced by
 * `_`), HMAC-SHA256 with the signature secret, hex — written from that description rather than with the SDK the app
 * verifies with. The ledger is real (PostgreSQL).
 */
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { parse } from 'yaml';
import { MessageLedger } from '../../src/db/ledger';
import { WebhookInbox } from '../../src/db/webhook-events';
import { testPool } from '../helpers/database';
import { uniqueId } from '../helpers/fixtures';
import { specPath } from '../helpers/prism';
import { aSentMessage, ledgerRow, webhookApp } from './webhook-app';

const SECRET = 'vonage-signature-secret-0123456789';
const VONAGE = { VONAGE_API_KEY: 'abcd1234', VONAGE_API_SECRET: 'not-a-real-secret-1', VONAGE_FROM: '+14155550100' };
const pool = testPool();
const ledger = new MessageLedger(pool);
const inbox = new WebhookInbox(pool);
const { app, stats } = webhookApp(pool, {
  ...VONAGE,
  VONAGE_SIGNATURE_SECRET: SECRET,
  VONAGE_SIGNATURE_METHOD: 'sha256hmac',
});
afterAll(() => pool.end());

function sign(fields: Record<string, string>, secret = SECRET): Record<string, string> {
  const signed = Object.keys(fields)
    .sort()
    .map((name) => `&${name}=${fields[name]!.replace(/[&=]/g, '_')}`)
    .join('');
  return { ...fields, sig: createHmac('sha256', secret).update(signed).digest('hex').toUpperCase() };
}

/** A receipt for one of our SMS, as Vonage sends it with signatures on. */
function aReceipt(status: string, messageId: string, clientRef?: string, fields: Record<string, string> = {}) {
  return {
    msisdn: '37126000000',
    to: 'TestShop',
    'network-code': '24701',
    messageId,
    price: '0.03330000',
    status,
    scts: '2612021200',
    'err-code': status === 'delivered' ? '0' : '5',
    'api-key': VONAGE.VONAGE_API_KEY,
    ...(clientRef ? { 'client-ref': clientRef } : {}),
    'message-timestamp': '2026-12-02 12:00:00',
    timestamp: String(Math.floor(Date.now() / 1000)),
    nonce: randomUUID(),
    ...fields,
  };
}

const post = (receipt: object, to = app) => request(to).post('/v1/webhooks/vonage/status').send(receipt);

async function aVonageSms() {
  const messageId = uniqueId('0A00').toUpperCase();
  return { ...(await aSentMessage(ledger, 'sms', 'vonage', messageId)), messageId };
}

describe('POST /v1/webhooks/vonage/status', () => {
  it('sends test receipts with only the fields of Vonage’s published DeliveryReceipt', () => {
    const spec = parse(readFileSync(specPath('vonage_sms.yml'), 'utf8'));
    const published = Object.keys(spec.components.schemas.DeliveryReceipt.properties as object);
    expect(published).toEqual(expect.arrayContaining(Object.keys(sign(aReceipt('delivered', 'x', 'y')))));
  });

  it('marks a delivered SMS delivered, found by its client-ref', async () => {
    const sent = await aVonageSms();
    await post(sign(aReceipt('delivered', sent.messageId, sent.id))).expect(200, { received: 1 });
    expect(await ledgerRow(ledger, sent.orderId)).toMatchObject({ status: 'delivered', provider: 'vonage' });
  });

  it('marks an SMS Vonage could not deliver failed with its error code, found by Vonage’s message id', async () => {
    const sent = await aVonageSms();
    await request(app)
      .post('/v1/webhooks/vonage/status')
      .type('form')
      .send(sign(aReceipt('failed', sent.messageId)))
      .expect(200);
    expect(await ledgerRow(ledger, sent.orderId)).toMatchObject({
      status: 'failed',
      errorCode: '5',
      errorMessage: 'failed: Vonage error 5',
    });
  });

  it('takes "buffered" as no news, and applies a repeated receipt once', async () => {
    const sent = await aVonageSms();
    await post(sign(aReceipt('buffered', sent.messageId, sent.id))).expect(200);
    expect(await ledgerRow(ledger, sent.orderId)).toMatchObject({ status: 'sent' });

    const receipt = aReceipt('delivered', sent.messageId, sent.id);
    await post(sign(receipt)).expect(200);
    await pool.query(`UPDATE message_ledger SET status = 'sent' WHERE id = $1`, [sent.id]);
    await post(sign({ ...receipt, nonce: randomUUID() })).expect(200); // Vonage retrying: the same message and status
    expect(await ledgerRow(ledger, sent.orderId)).toMatchObject({ status: 'sent' });
  });

  it('refuses a tampered receipt, another secret’s signature, no signature and a stale timestamp (401)', async () => {
    const sent = await aVonageSms();
    const receipt = aReceipt('delivered', sent.messageId, sent.id);
    const before = stats.refusedFor('vonage');

    await post({ ...sign(receipt), status: 'failed' }).expect(401);
    await post(sign(receipt, 'another-secret')).expect(401);
    await post(receipt).expect(401);
    const stale = sign({ ...receipt, timestamp: String(Math.floor(Date.now() / 1000) - 3600) });
    const res = await post(stale).expect(401);
    expect(res.body.error.message).toMatch(/stale timestamp/);

    expect(stats.refusedFor('vonage') - before).toBe(4);
    expect(await ledgerRow(ledger, sent.orderId)).toMatchObject({ status: 'sent' });
  });

  it('answers 202 for a receipt about an SMS it never sent (kept for support), 400 for one without a status', async () => {
    const ledgerId = randomUUID();
    await post(sign(aReceipt('delivered', uniqueId('0A00'), ledgerId))).expect(202);
    expect(await inbox.unmatched({ provider: 'vonage', lookupKey: ledgerId })).toEqual([
      expect.objectContaining({ reason: 'unknown_message', event: expect.objectContaining({ ledgerId }) }),
    ]);

    const { status: _status, ...statusless } = aReceipt('delivered', uniqueId('0A00'));
    await post(sign(statusless)).expect(400);
  });

  it('answers 503 without a signature secret, so Vonage retries once one is set', async () => {
    const { app: unconfigured } = webhookApp(pool, VONAGE);
    const sent = await aVonageSms();
    const res = await post(sign(aReceipt('delivered', sent.messageId, sent.id)), unconfigured).expect(503);
    expect(res.body.error.code).toBe('webhook_not_configured');
  });
});

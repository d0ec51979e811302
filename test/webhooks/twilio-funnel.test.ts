/**
 * The funnel counter from Twilio's signed delivery reports: an SMS counts delivered once — not again when Twilio
 * repeats the report, nor when a "read" follows it.
 */
import request from 'supertest';
import twilio from 'twilio';
import { MessageLedger } from '../../src/db/ledger';
import { testPool } from '../helpers/database';
import { uniqueId } from '../helpers/fixtures';
import { TWILIO_ACCOUNT } from '../providers/messages';
import { aSentMessage, PUBLIC_BASE_URL, webhookApp } from './webhook-app';

const pool = testPool();
const ledger = new MessageLedger(pool);
const { app } = webhookApp(pool, {
  TWILIO_ACCOUNT_SID: TWILIO_ACCOUNT.accountSid,
  TWILIO_AUTH_TOKEN: TWILIO_ACCOUNT.authToken,
  TWILIO_FROM: '+14155550100',
  TWILIO_STATUS_CALLBACK_URL: `${PUBLIC_BASE_URL}/v1/webhooks/twilio/status`,
});
afterAll(() => pool.end());

function report(ledgerId: string, messageSid: string, status: string) {
  const path = `/v1/webhooks/twilio/status?ledgerId=${ledgerId}`;
  const form = { AccountSid: TWILIO_ACCOUNT.accountSid, MessageSid: messageSid, MessageStatus: status };
  const signature = twilio.getExpectedTwilioSignature(TWILIO_ACCOUNT.authToken, `${PUBLIC_BASE_URL}${path}`, form);
  return request(app).post(path).type('form').set('X-Twilio-Signature', signature).send(form);
}

async function countedDelivered(): Promise<number> {
  const res = await request(app).get('/metrics').expect(200);
  const prefix = 'order_journeys_funnel_events_total{stage="delivered",channel="sms",message_type="confirmation"}';
  const line = res.text.split('\n').find((l) => l.startsWith(prefix));
  return line ? Number(line.split(' ').pop()) : 0;
}

it('counts an SMS delivered once, however often Twilio reports it', async () => {
  const messageSid = `SM${uniqueId('x').replace(/\W/g, '').padEnd(32, '0').slice(0, 32)}`;
  const sent = await aSentMessage(ledger, 'sms', 'twilio', messageSid);
  const before = await countedDelivered();
  await report(sent.id, messageSid, 'delivered').expect(200);
  await report(sent.id, messageSid, 'delivered').expect(200);
  await report(sent.id, messageSid, 'read').expect(200);
  expect(await countedDelivered()).toBe(before + 1);
});

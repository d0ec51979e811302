/**
 * SendGrid opens and clicks, signed as SendGrid signs (ECDSA P-256 over timestamp + raw body): each event is stored
 * once against its message, however often SendGrid (or an attacker within the timestamp window) sends it again, and the
 * funnel counter counts each message's first open and first click (and a delivery once).
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { MessageEngagement } from '../../src/db/message-engagement';
import { MessageLedger } from '../../src/db/ledger';
import { WebhookInbox } from '../../src/db/webhook-events';
import { testPool } from '../helpers/database';
import { uniqueId } from '../helpers/fixtures';
import { SENDGRID_API_KEY } from '../providers/messages';
import { postSendGridEvents, sendGridSigner } from './sendgrid-signer';
import { aSentMessage, webhookApp } from './webhook-app';

const sendgrid = sendGridSigner();
const pool = testPool();
const ledger = new MessageLedger(pool);
const engagement = new MessageEngagement(pool);
const inbox = new WebhookInbox(pool);
const { app } = webhookApp(pool, {
  SENDGRID_API_KEY,
  SENDGRID_FROM: 'orders@test-shop.example',
  SENDGRID_WEBHOOK_PUBLIC_KEY: sendgrid.publicKeyBase64,
});
afterAll(() => pool.end());

function post(events: object[]) {
  return postSendGridEvents(app, sendgrid.signed(JSON.stringify(events)));
}

function anEvent(event: 'open' | 'click' | 'delivered', ledgerId: string) {
  return {
    email: `${uniqueId('reader')}@example.com`,
    timestamp: Math.floor(Date.now() / 1000),
    event,
    sg_event_id: randomUUID(),
    sg_message_id: `x-msg-${ledgerId.slice(0, 8)}.filterdrecv-p3las1-5bf99c48d-wwt4h-18-5F2B1F0E-35.0`,
    ledgerId,
    ...(event === 'click' ? { url: 'https://shop.example/account?token=secret-token' } : {}),
  };
}

/** The funnel counter's value for a stage of confirmation emails, as /metrics shows it. */
async function counted(stage: 'opened' | 'clicked' | 'delivered'): Promise<number> {
  const res = await request(app).get('/metrics').expect(200);
  const line = res.text
    .split('\n')
    .find((l) =>
      l.startsWith(`order_journeys_funnel_events_total{stage="${stage}",channel="email",message_type="confirmation"}`),
    );
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('SendGrid opens and clicks', () => {
  it('are stored once per event id even when the same request is replayed', async () => {
    const sent = await aSentMessage(ledger, 'email', 'sendgrid', uniqueId('x-msg'));
    const [openedBefore, clickedBefore] = [await counted('opened'), await counted('clicked')];
    const events = [anEvent('open', sent.id), anEvent('open', sent.id), anEvent('click', sent.id)];

    await post(events).expect(200);
    await post(events).expect(200); // SendGrid retries the whole batch
    await post([events[2]!, events[0]!]).expect(200); // and may send single events again

    expect(await engagement.countsFor(sent.id)).toEqual({ open: 2, click: 1 });
    // The funnel counts messages: one opened, one clicked.
    expect(await counted('opened')).toBe(openedBefore + 1);
    expect(await counted('clicked')).toBe(clickedBefore + 1);
  });

  it('find their message by SendGrid message id when no ledger id came back', async () => {
    const providerMessageId = uniqueId('x-msg');
    const sent = await aSentMessage(ledger, 'email', 'sendgrid', providerMessageId);
    const open = { ...anEvent('open', sent.id), ledgerId: undefined, sg_message_id: `${providerMessageId}.filter0001` };
    await post([open]).expect(200);
    expect(await engagement.countsFor(sent.id)).toEqual({ open: 1, click: 0 });
  });

  it('keep no address and no URL', async () => {
    const sent = await aSentMessage(ledger, 'email', 'sendgrid', uniqueId('x-msg'));
    await post([anEvent('click', sent.id)]).expect(200);
    const { rows } = await pool.query(`SELECT * FROM message_engagement_events WHERE ledger_id = $1`, [sent.id]);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0])).not.toMatch(/@|secret-token|https:/);
  });

  it('for a message we never sent are kept for support (202), without the address', async () => {
    const unknownLedgerId = randomUUID();
    await post([anEvent('open', unknownLedgerId)]).expect(202);
    const [kept] = await inbox.unmatched({ provider: 'sendgrid', lookupKey: unknownLedgerId });
    expect(kept).toMatchObject({ reason: 'unknown_message', event: { event: 'open', ledgerId: unknownLedgerId } });
    expect(JSON.stringify(kept!.event)).not.toMatch(/@/);
  });

  it('a delivery report counts its message delivered once, however often it comes', async () => {
    const sent = await aSentMessage(ledger, 'email', 'sendgrid', uniqueId('x-msg'));
    const before = await counted('delivered');
    const delivered = anEvent('delivered', sent.id);
    await post([delivered]).expect(200);
    await post([delivered]).expect(200);
    expect(await counted('delivered')).toBe(before + 1);
  });
});

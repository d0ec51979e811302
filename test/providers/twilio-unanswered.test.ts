/**
 * An SMS whose send got no answer (a timeout, a worker killed mid-call) may have reached Twilio, which takes no
 * idempotency key. The retry asks Twilio for the recent messages to the number first: found, it is recorded as sent
 * instead of being sent again; not found, it is sent once. Driven through the send activity, the ledger in PostgreSQL
 * and the official SDK against a stand-in that keeps the messages it took and lists them as Twilio's Messages API does
 * (the list request itself is checked against Twilio's published contract in twilio-contract.test.ts).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNotifyActivities } from '../../src/activities/notify';
import { MessageLedger } from '../../src/db/ledger';
import { OutboxStore } from '../../src/db/outbox';
import { OutboxProvider } from '../../src/providers/outbox/outbox-provider';
import { TwilioSmsProvider } from '../../src/providers/sms/twilio';
import { aConfirmationToSend } from '../helpers/confirmation-sends';
import { testPool } from '../helpers/database';
import { TEST_SHOP } from '../helpers/temporal';
import { TWILIO_ACCOUNT } from './messages';

interface KeptMessage {
  sid: string;
  to: string;
  body: string;
  createdAt: Date;
}

/** A Twilio that keeps what it takes. `next` scripts the next create: answered, taken but unanswered, or dropped. */
async function startTwilioStandIn() {
  const messages: KeptMessage[] = [];
  const requests: { method: string; path: string }[] = [];
  let next: 'answer' | 'take-silently' | 'drop' = 'answer';
  let listAnswer: 'list' | 'outage' = 'list';
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method!, path: req.url! });
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const url = new URL(req.url!, 'http://twilio.local');
      if (req.method === 'GET') {
        if (listAnswer === 'outage') return json(503, { code: 20503, message: 'Service unavailable', status: 503 });
        const to = url.searchParams.get('To');
        const page = messages
          .filter((m) => m.to === to)
          .reverse()
          .map((m) => ({
            sid: m.sid,
            to: m.to,
            body: m.body,
            status: 'sent',
            date_created: m.createdAt.toUTCString(),
          }));
        return json(200, { messages: page, page: 0, page_size: page.length, next_page_uri: null, uri: url.pathname });
      }
      if (next === 'drop') return; // lost on the way: Twilio never saw it
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      const kept = {
        sid: `SM${String(messages.length + 1).padStart(32, '0')}`,
        to: form.get('To')!,
        body: form.get('Body')!,
        createdAt: new Date(),
      };
      messages.push(kept);
      if (next === 'take-silently') return; // taken, but the answer never comes back
      json(201, { sid: kept.sid, status: 'queued' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    messages,
    requests,
    script(create: typeof next, list: typeof listAnswer = 'list') {
      next = create;
      listAnswer = list;
    },
    stop: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

const pool = testPool();
const ledger = new MessageLedger(pool);
let twilio: Awaited<ReturnType<typeof startTwilioStandIn>>;
let notify: ReturnType<typeof createNotifyActivities>;

beforeAll(async () => {
  twilio = await startTwilioStandIn();
  const sms = new TwilioSmsProvider({ ...TWILIO_ACCOUNT, from: '+14155550100', baseUrl: twilio.url, timeoutMs: 500 });
  notify = createNotifyActivities({ ledger, sms, email: new OutboxProvider(new OutboxStore(pool)), shop: TEST_SHOP });
});
afterAll(async () => {
  await twilio?.stop();
  await pool.end();
});

const aConfirmationSms = () => aConfirmationToSend('sms');

const creates = () => twilio.requests.filter((r) => r.method === 'POST').length;
const lookups = () => twilio.requests.filter((r) => r.method === 'GET').length;
const messagesTo = (to: string) => twilio.messages.filter((m) => m.to === to);

it('finds an SMS Twilio took without answering, and records it instead of sending it again', async () => {
  const input = aConfirmationSms();
  twilio.script('take-silently');
  await expect(notify.sendCustomerMessage(input)).rejects.toMatchObject({ type: 'ProviderUnavailable' });

  twilio.script('answer');
  const [createsBefore, lookupsBefore] = [creates(), lookups()];
  const outcome = await notify.sendCustomerMessage(input); // Temporal's retry of the activity

  expect(outcome.status).toBe('sent');
  expect(messagesTo(input.to)).toHaveLength(1);
  expect([creates() - createsBefore, lookups() - lookupsBefore]).toEqual([0, 1]);
  expect(await ledger.find(outcome.ledgerId)).toMatchObject({
    status: 'sent',
    providerMessageId: messagesTo(input.to)[0]!.sid,
  });
});

it('sends an SMS that never reached Twilio on the retry, once', async () => {
  const input = aConfirmationSms();
  twilio.script('drop');
  await expect(notify.sendCustomerMessage(input)).rejects.toMatchObject({ type: 'ProviderUnavailable' });
  expect(messagesTo(input.to)).toHaveLength(0);

  twilio.script('answer');
  const outcome = await notify.sendCustomerMessage(input);

  expect(outcome.status).toBe('sent');
  expect(messagesTo(input.to)).toHaveLength(1);
  expect(await ledger.find(outcome.ledgerId)).toMatchObject({ providerMessageId: messagesTo(input.to)[0]!.sid });
});

it('does not take the same text sent to the number before the unanswered call for this message', async () => {
  const input = aConfirmationSms();
  const text = { to: input.to, sid: `SM${'e'.repeat(32)}`, createdAt: new Date(Date.now() - 3_600_000) };
  twilio.script('take-silently');
  await expect(notify.sendCustomerMessage(input)).rejects.toMatchObject({ type: 'ProviderUnavailable' });
  // The same words an hour earlier (say, a test message support sent by hand) are not this message.
  const taken = twilio.messages.pop()!;
  twilio.messages.push({ ...text, body: taken.body });

  twilio.script('answer');
  const outcome = await notify.sendCustomerMessage(input);

  expect(outcome.status).toBe('sent');
  expect(messagesTo(input.to)).toHaveLength(2);
  expect((await ledger.find(outcome.ledgerId))?.providerMessageId).not.toBe(text.sid);
});

it('while Twilio cannot answer the lookup, the retry fails again and sends nothing blind', async () => {
  const input = aConfirmationSms();
  twilio.script('take-silently');
  await expect(notify.sendCustomerMessage(input)).rejects.toMatchObject({ type: 'ProviderUnavailable' });

  twilio.script('answer', 'outage');
  const createsBefore = creates();
  await expect(notify.sendCustomerMessage(input)).rejects.toMatchObject({ type: 'ProviderUnavailable' });
  expect(creates()).toBe(createsBefore);

  twilio.script('answer');
  const outcome = await notify.sendCustomerMessage(input);
  expect(outcome.status).toBe('sent');
  expect(messagesTo(input.to)).toHaveLength(1);
});

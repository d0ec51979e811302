/**
 * Neither provider takes an idempotency key: a call that got no answer may have been accepted, and its retry may send
 * the message twice. The ledger marks each provider call, so such a retry is counted (`uncertain_attempts`), while a
 * call the provider answered with a refusal is not. Counted at the provider, not the outbox (which hides repeats).
 */
import { MessageLedger } from '../../src/db/ledger';
import { OutboxStore } from '../../src/db/outbox';
import { OutboxProvider } from '../../src/providers/outbox/outbox-provider';
import { ProviderError, type EmailProvider } from '../../src/providers/types';
import { testPool } from '../helpers/database';
import { OrderStory, startJourneyWorld, type JourneyWorld } from '../helpers/journey-harness';

const pool = testPool();
const outbox = new OutboxProvider(new OutboxStore(pool));
/** Per order: how the first confirmation call ends ("unanswered": accepted, then the answer lost; "503": refused). */
const firstCall = new Map<string, 'unanswered' | '503'>();
const calls = new Map<string, number>();
const email: EmailProvider = {
  name: 'outbox',
  sendEmail: async (message) => {
    const n = (calls.get(message.orderId) ?? 0) + 1;
    calls.set(message.orderId, n);
    const first = message.messageType === 'confirmation' && n === 1 ? firstCall.get(message.orderId) : undefined;
    if (first === '503') throw new ProviderError('sendgrid', 'email', '503', 'Service Unavailable', true);
    const receipt = await outbox.sendEmail(message);
    if (first === 'unanswered')
      throw new ProviderError('sendgrid', 'email', 'timeout', 'SendGrid did not answer (ETIMEDOUT)', true, {
        unanswered: true,
      });
    return receipt;
  },
};

/** PostgreSQL dropping the connection just as the next "sent" is written. */
let failNextMarkSent = false;
class FlakyLedger extends MessageLedger {
  override async markSent(id: string, provider: string, providerMessageId: string): Promise<void> {
    if (failNextMarkSent) {
      failNextMarkSent = false;
      throw new Error('Connection terminated unexpectedly');
    }
    return super.markSent(id, provider, providerMessageId);
  }
}

let world: JourneyWorld;
beforeAll(async () => {
  world = await startJourneyWorld({ email, ledger: new FlakyLedger(pool) });
});
afterAll(async () => {
  await world?.stop();
  await pool.end();
});

async function confirmationRow(orderId: string) {
  const { rows } = await pool.query<{ status: string; uncertain_attempts: number }>(
    `SELECT status, uncertain_attempts FROM message_ledger WHERE order_id = $1 AND step = 'confirmation' AND channel = 'email'`,
    [orderId],
  );
  return rows[0];
}

it('a retry after a call that got no answer is counted as a possible duplicate', async () => {
  const orderId = `ord-unanswered-${Math.random().toString(36).slice(2, 8)}`;
  firstCall.set(orderId, 'unanswered');
  const story = await OrderStory.place(world, { orderId, channels: ['email'] });
  await story.untilMessages(1);
  expect(calls.get(orderId)).toBe(2); // the provider saw it twice: the duplicate no key can prevent
  expect(await confirmationRow(orderId)).toEqual({ status: 'sent', uncertain_attempts: 1 });
});

it('a retry after the provider refused (it answered) is not', async () => {
  const orderId = `ord-refused-${Math.random().toString(36).slice(2, 8)}`;
  firstCall.set(orderId, '503');
  const story = await OrderStory.place(world, { orderId, channels: ['email'] });
  await story.untilMessages(1);
  expect(calls.get(orderId)).toBe(2);
  expect(await confirmationRow(orderId)).toEqual({ status: 'sent', uncertain_attempts: 0 });
});

it('a message the provider accepted while the ledger could not record it is recorded on the retry, not sent again', async () => {
  const orderId = `ord-unrecorded-${Math.random().toString(36).slice(2, 8)}`;
  failNextMarkSent = true;
  const story = await OrderStory.place(world, { orderId, channels: ['email'] });
  await story.untilMessages(1);
  expect(calls.get(orderId)).toBe(1);
  expect(await confirmationRow(orderId)).toEqual({ status: 'sent', uncertain_attempts: 0 });
});

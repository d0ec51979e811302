/**
 * A SendGrid rate limit, end to end through the notify activity on the real ledger (no Temporal server needed: the
 * activity's answer to Temporal is the ApplicationFailure it throws). Temporal must come back at SendGrid's reset time,
 * and the message must still go out exactly once.
 */
import { ApplicationFailure } from '@temporalio/common';
import { createNotifyActivities } from '../../src/activities/notify';
import { MessageLedger } from '../../src/db/ledger';
import { OutboxStore } from '../../src/db/outbox';
import { orderSchema } from '../../src/domain/order';
import { SendGridEmailProvider } from '../../src/providers/email/sendgrid';
import { OutboxProvider } from '../../src/providers/outbox/outbox-provider';
import { testPool } from '../helpers/database';
import { anOrder } from '../helpers/fixtures';
import { sendGridError, startProviderStub, type ProviderStub } from '../helpers/provider-stubs';
import { SENDGRID_API_KEY } from './messages';

const shop = { name: 'Test Shop', supportEmail: 'help@test-shop.example' };
const pool = testPool();
const ledger = new MessageLedger(pool);
let sendgrid: ProviderStub;

beforeAll(async () => {
  sendgrid = await startProviderStub();
});
afterAll(async () => {
  await sendgrid?.stop();
  await pool.end();
});

it('waits for SendGrid’s rate-limit reset before trying the confirmation again, then sends it once', async () => {
  const email = new SendGridEmailProvider({
    apiKey: SENDGRID_API_KEY,
    from: 'orders@test-shop.example',
    baseUrl: sendgrid.url,
  });
  const notify = createNotifyActivities({
    ledger,
    email,
    sms: new OutboxProvider(new OutboxStore(pool)),
    shop,
  });
  const order = orderSchema.parse(anOrder());
  const input = {
    journeyId: `order-${order.orderId}`,
    orderId: order.orderId,
    step: 'confirmation',
    channel: 'email' as const,
    to: order.email,
    message: {
      messageType: 'confirmation' as const,
      data: { order, deliveryWindow: { earliest: '2026-11-25', latest: '2026-11-27' } },
    },
  };

  const resetAtMs = (Math.ceil(Date.now() / 1000) + 20) * 1000;
  sendgrid.answerWith(
    sendGridError(429, [{ field: null, message: 'too many requests' }], {
      'X-RateLimit-Reset': String(resetAtMs / 1000),
    }),
  );
  const calledAt = Date.now();
  const failure = await notify.sendCustomerMessage(input).catch((err: unknown) => err);
  const answeredAt = Date.now();

  expect(failure).toBeInstanceOf(ApplicationFailure);
  expect(failure).toMatchObject({ type: 'ProviderUnavailable', nonRetryable: false });
  // Exactly until the reset, as seen when SendGrid answered (somewhere between the call and its failure: a loaded
  // machine may take seconds to render and record the message first).
  expect((failure as ApplicationFailure).nextRetryDelay).toBeGreaterThanOrEqual(resetAtMs - answeredAt);
  expect((failure as ApplicationFailure).nextRetryDelay).toBeLessThanOrEqual(resetAtMs - calledAt);
  expect(await ledger.forOrder(order.orderId)).toEqual([expect.objectContaining({ status: 'pending', attempts: 1 })]);

  // Temporal's retry, once the limit has reset.
  sendgrid.answerWith({ status: 202, headers: { 'x-message-id': 'rate-limited-then-sent' } });
  await expect(notify.sendCustomerMessage(input)).resolves.toMatchObject({ status: 'sent', alreadyRecorded: false });

  expect(await ledger.forOrder(order.orderId)).toEqual([
    expect.objectContaining({
      status: 'sent',
      attempts: 2,
      provider: 'sendgrid',
      providerMessageId: 'rate-limited-then-sent',
    }),
  ]);
  expect(sendgrid.requests.filter((r) => r.path === '/v3/mail/send')).toHaveLength(2);
});

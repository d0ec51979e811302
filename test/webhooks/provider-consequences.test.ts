/**
 * What a provider's final refusal says about the address goes into the consent store, so the journey's next message to
 * it is skipped rather than refused again: Twilio 21610 (the recipient replied STOP) → opted out; 21211 → invalid.
 */
import { createNotifyActivities } from '../../src/activities/notify';
import { ConsentStore } from '../../src/db/consent';
import { MessageLedger } from '../../src/db/ledger';
import { OutboxStore } from '../../src/db/outbox';
import { orderSchema } from '../../src/domain/order';
import { OutboxProvider } from '../../src/providers/outbox/outbox-provider';
import { TwilioSmsProvider } from '../../src/providers/sms/twilio';
import { testPool } from '../helpers/database';
import { anOrder, uniquePhone } from '../helpers/fixtures';
import { startProviderStub, twilioError, type ProviderStub } from '../helpers/provider-stubs';
import { TEST_SHOP } from '../helpers/temporal';
import { TWILIO_ACCOUNT } from '../providers/messages';

const pool = testPool();
const ledger = new MessageLedger(pool);
const consent = new ConsentStore(pool);
let twilioApi: ProviderStub;

beforeAll(async () => {
  twilioApi = await startProviderStub();
});
afterAll(async () => {
  await twilioApi?.stop();
  await pool.end();
});

function confirmationSms(phone: string, step = 'confirmation') {
  const order = orderSchema.parse(anOrder({ phone }));
  return {
    journeyId: `order-${order.orderId}`,
    orderId: order.orderId,
    step,
    channel: 'sms' as const,
    to: phone,
    message: {
      messageType: 'confirmation' as const,
      data: { order, deliveryWindow: { earliest: '2026-11-25', latest: '2026-11-27' } },
    },
  };
}

function activities() {
  const sms = new TwilioSmsProvider({ ...TWILIO_ACCOUNT, from: '+14155550100', baseUrl: twilioApi.url });
  return createNotifyActivities({
    ledger,
    email: new OutboxProvider(new OutboxStore(pool)),
    sms,
    shop: TEST_SHOP,
    consent,
  });
}

it.each([
  [21610, 'Attempt to send to unsubscribed recipient', 'opted_out'],
  [21211, "The 'To' number is not a valid phone number.", 'contact_invalid'],
] as const)(
  'Twilio %s: the message fails, the address is recorded, and the next SMS to it is skipped',
  async (code, message, block) => {
    const phone = uniquePhone(); // a number of its own, and one orders accept (never 23…)
    const notify = activities();
    twilioApi.answerWith(twilioError(400, code, message));

    await expect(notify.sendCustomerMessage(confirmationSms(phone))).resolves.toMatchObject({
      status: 'failed',
      error: { code: String(code) },
    });
    expect(await consent.get('sms', phone)).toMatchObject({
      status: block === 'opted_out' ? 'opted_out' : 'invalid',
      source: `twilio:${code}`,
    });

    const calls = twilioApi.requests.length;
    await expect(notify.sendCustomerMessage(confirmationSms(phone, 'parcel:1Z9:shipped'))).resolves.toMatchObject({
      status: 'skipped',
      error: { code: block },
    });
    expect(twilioApi.requests).toHaveLength(calls); // Twilio was not asked again
  },
);

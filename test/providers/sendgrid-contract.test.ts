/**
 * Our email, as the SendGrid SDK builds it, checked against SendGrid's published Mail Send contract (tsg_mail_v3.json)
 * served by Prism: an accepted send (202) means the request matches the spec, field by field.
 */
import { SendGridEmailProvider, type SendGridOptions } from '../../src/providers/email/sendgrid';
import { ProviderError } from '../../src/providers/types';
import { specPath, startPrism, withContractVerdicts, type ContractServer } from '../helpers/prism';
import { aConfirmationEmail, aRestockReminderEmail, SENDGRID_API_KEY } from './messages';

let sendgrid: ContractServer;

beforeAll(async () => {
  sendgrid = await startPrism(specPath('tsg_mail_v3.json'));
});
afterAll(async () => {
  await sendgrid?.stop();
});

function provider(options: Partial<SendGridOptions> = {}) {
  return new SendGridEmailProvider({
    apiKey: SENDGRID_API_KEY,
    from: 'orders@test-shop.example',
    fromName: 'Test Shop',
    replyTo: 'help@test-shop.example',
    baseUrl: sendgrid.url,
    ...options,
  });
}

/** The request Prism judged last, as JSON. */
function lastAccepted() {
  const last = sendgrid.requests.at(-1)!;
  expect(last).toMatchObject({ method: 'POST', path: '/v3/mail/send', status: 202 });
  return JSON.parse(last.body);
}

describe('SendGrid email, against the published contract', () => {
  it('accepts an order confirmation with reply-to, its category and the ledger ids in custom_args', async () => {
    const email = aConfirmationEmail();
    const receipt = await provider().sendEmail(email).catch(withContractVerdicts(sendgrid));

    // Prism's 202 has no X-Message-Id (the spec declares none), so the receipt names the ledger row (see sendgrid.ts).
    expect(receipt).toEqual({ providerMessageId: `no-x-message-id:${email.idempotencyKey}` });
    expect(lastAccepted()).toMatchObject({
      personalizations: [
        {
          to: [{ email: 'anna.berzina@example.com' }],
          custom_args: {
            journeyId: email.journeyId,
            orderId: email.orderId,
            step: 'confirmation',
            ledgerId: email.idempotencyKey,
            messageType: 'confirmation',
          },
        },
      ],
      from: { email: 'orders@test-shop.example', name: 'Test Shop' },
      reply_to: { email: 'help@test-shop.example' },
      categories: ['confirmation'],
    });
  });

  it('accepts a marketing reminder in the unsubscribe group, with one-click unsubscribe headers, in sandbox mode', async () => {
    const link = 'https://journeys.test-shop.example/v1/unsubscribe?token=v1.eyJjIjoiY3VzLTQyIn0.c2lnbmF0dXJl';
    const headers = {
      'List-Unsubscribe': `<${link}>, <mailto:unsubscribe@test-shop.example?subject=unsubscribe>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    };
    const email = aRestockReminderEmail({ headers });
    await provider({ unsubscribeGroupId: 12345, sandboxMode: true })
      .sendEmail(email)
      .catch(withContractVerdicts(sendgrid));

    expect(lastAccepted()).toMatchObject({
      asm: { group_id: 12345 },
      mail_settings: { sandbox_mode: { enable: true } },
      categories: ['replenishment_reminder'],
      // RFC 8058 headers, byte for byte: the SDK must not re-case their names.
      headers: {
        'List-Unsubscribe': headers['List-Unsubscribe'],
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    });
  });

  it('sends no headers object when a message has none (transactional email)', async () => {
    await provider().sendEmail(aConfirmationEmail()).catch(withContractVerdicts(sendgrid));
    expect(lastAccepted()).not.toHaveProperty('headers');
  });

  it('is a real contract check: a sender address the spec rejects is refused as final, not retried', async () => {
    const error = await provider({ from: 'orders-at-test-shop' })
      .sendEmail(aConfirmationEmail())
      .catch((err: unknown) => err);

    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: 'sendgrid', code: '400', retryable: false });
    expect(sendgrid.requests.at(-1)?.status).toBe(400);
    expect(sendgrid.requests.at(-1)?.violations).toMatch(/from\.email/);
  });
});

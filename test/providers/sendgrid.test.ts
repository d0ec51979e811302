/**
 * SendGrid email through the official SDK against a local stand-in: what SendGrid receives for each kind of message,
 * and how each of SendGrid's refusals is classified — retry later, final for this message, or a human must act.
 */
import { freePort } from '../helpers/postgres';
import { sendGridError, startProviderStub, type ProviderStub } from '../helpers/provider-stubs';
import { SendGridEmailProvider, type SendGridOptions } from '../../src/providers/email/sendgrid';
import { ProviderError } from '../../src/providers/types';
import { aConfirmationEmail, aRestockReminderEmail, SENDGRID_API_KEY } from './messages';

let sendgrid: ProviderStub;

beforeAll(async () => {
  sendgrid = await startProviderStub();
});
afterAll(async () => {
  await sendgrid?.stop();
});

function provider(options: Partial<SendGridOptions> = {}) {
  return new SendGridEmailProvider({
    apiKey: SENDGRID_API_KEY,
    from: 'orders@test-shop.example',
    baseUrl: sendgrid.url,
    ...options,
  });
}

function lastMailSent() {
  const last = sendgrid.requests.at(-1)!;
  expect(last).toMatchObject({ method: 'POST', path: '/v3/mail/send' });
  return JSON.parse(last.body);
}

/** The ProviderError a send ends in; fails the test if the send succeeds or fails otherwise. */
async function refusal(send: Promise<unknown>): Promise<ProviderError> {
  const error = await send.then(
    () => {
      throw new Error('expected SendGrid to refuse the email');
    },
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('SendGrid email: what SendGrid receives', () => {
  it('records SendGrid’s X-Message-Id as the provider message id', async () => {
    sendgrid.answerWith({ status: 202, headers: { 'x-message-id': 'W8TeGKuSRkWMCq1TF9s0Ow' } });

    await expect(provider().sendEmail(aConfirmationEmail())).resolves.toEqual({
      providerMessageId: 'W8TeGKuSRkWMCq1TF9s0Ow',
    });
    expect(sendgrid.requests.at(-1)!.headers.authorization).toBe(`Bearer ${SENDGRID_API_KEY}`);
  });

  it('keeps an order confirmation out of the unsubscribe group, so customers who left marketing still get it', async () => {
    sendgrid.answerWith({ status: 202, headers: { 'x-message-id': 'id-1' } });
    await provider({ unsubscribeGroupId: 4242 }).sendEmail(aConfirmationEmail());

    const mail = lastMailSent();
    expect(mail.asm).toBeUndefined();
    expect(mail.mail_settings).toBeUndefined(); // not sandboxed unless configured
  });

  it('sends a marketing reminder in the unsubscribe group, tagged so its events find the ledger row', async () => {
    sendgrid.answerWith({ status: 202, headers: { 'x-message-id': 'id-2' } });
    const email = aRestockReminderEmail();
    await provider({ unsubscribeGroupId: 4242, replyTo: 'help@test-shop.example', fromName: 'Test Shop' }).sendEmail(
      email,
    );

    expect(lastMailSent()).toEqual({
      personalizations: [
        {
          to: [{ email: email.to }],
          custom_args: {
            journeyId: email.journeyId,
            orderId: email.orderId,
            step: 'replenishment',
            ledgerId: email.idempotencyKey,
            messageType: 'replenishment_reminder',
          },
        },
      ],
      from: { email: 'orders@test-shop.example', name: 'Test Shop' },
      reply_to: { email: 'help@test-shop.example' },
      subject: email.subject,
      content: [
        { type: 'text/plain', value: email.text },
        { type: 'text/html', value: email.html },
      ],
      categories: ['replenishment_reminder'],
      asm: { group_id: 4242 },
    });
  });

  it('sends a marketing reminder without a group when none is configured rather than not at all', async () => {
    sendgrid.answerWith({ status: 202, headers: { 'x-message-id': 'id-3' } });
    await provider().sendEmail(aRestockReminderEmail());

    expect(lastMailSent().asm).toBeUndefined();
  });
});

describe('SendGrid email: refusals', () => {
  it('retries when SendGrid rate-limits us, not before X-RateLimit-Reset', async () => {
    const resetAt = Math.ceil(Date.now() / 1000) + 30;
    sendgrid.answerWith(
      sendGridError(429, [{ field: null, message: 'too many requests' }], { 'X-RateLimit-Reset': String(resetAt) }),
    );

    const error = await refusal(provider().sendEmail(aConfirmationEmail()));
    expect(error).toMatchObject({
      provider: 'sendgrid',
      channel: 'email',
      code: '429',
      retryable: true,
      consequence: undefined,
    });
    expect(error.retryAfterMs).toBeGreaterThan(28_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(31_000);
  });

  it('retries a rate limit on the normal backoff when SendGrid gives no reset time', async () => {
    sendgrid.answerWith(sendGridError(429, [{ field: null, message: 'too many requests' }]));

    const error = await refusal(provider().sendEmail(aConfirmationEmail()));
    expect(error).toMatchObject({ code: '429', retryable: true, retryAfterMs: undefined });
  });

  it('retries when SendGrid has an outage (500)', async () => {
    sendgrid.answerWith(sendGridError(500, [{ field: null, message: 'internal error' }]));

    expect(await refusal(provider().sendEmail(aConfirmationEmail()))).toMatchObject({
      code: '500',
      retryable: true,
      consequence: undefined,
    });
  });

  it('gives up on an email SendGrid calls malformed (400), saying which field, without the customer’s address', async () => {
    sendgrid.answerWith(
      sendGridError(400, [
        { field: 'personalizations.0.to', message: 'Does not contain a valid address: anna.berzina@example.com' },
      ]),
    );

    const error = await refusal(provider().sendEmail(aConfirmationEmail()));
    expect(error).toMatchObject({ code: '400', retryable: false, consequence: undefined });
    expect(error.message).toBe(
      'SendGrid refused the email (HTTP 400): personalizations.0.to: Does not contain a valid address: [email]',
    );
  });

  it('gives up on an email too large to send (413)', async () => {
    sendgrid.answerWith(
      sendGridError(413, [
        { field: null, message: 'The JSON payload you have included in your request is too large.' },
      ]),
    );

    expect(await refusal(provider().sendEmail(aConfirmationEmail()))).toMatchObject({
      code: '413',
      retryable: false,
      consequence: undefined,
    });
  });

  it('stops and alerts an operator when the API key is refused (401)', async () => {
    sendgrid.answerWith(
      sendGridError(401, [
        { field: null, message: 'The provided authorization grant is invalid, expired, or revoked' },
      ]),
    );

    expect(await refusal(provider().sendEmail(aConfirmationEmail()))).toMatchObject({
      code: '401',
      retryable: false,
      consequence: 'alert',
    });
  });

  it('stops and alerts an operator when the sender is not verified (403)', async () => {
    sendgrid.answerWith(
      sendGridError(403, [{ field: 'from', message: 'The from address does not match a verified Sender Identity.' }]),
    );

    expect(await refusal(provider().sendEmail(aConfirmationEmail()))).toMatchObject({
      code: '403',
      retryable: false,
      consequence: 'alert',
    });
  });

  it('treats a 4xx it does not know as final for the message (404)', async () => {
    sendgrid.answerWith(sendGridError(404, [{ field: null, message: 'not found' }]));

    expect(await refusal(provider().sendEmail(aConfirmationEmail()))).toMatchObject({
      code: '404',
      retryable: false,
      consequence: undefined,
    });
  });

  it('retries when SendGrid does not answer in time', async () => {
    sendgrid.answerWith({ status: 202, hang: true });

    const error = await refusal(provider({ timeoutMs: 300 }).sendEmail(aConfirmationEmail()));
    expect(error).toMatchObject({ code: 'timeout', retryable: true });
  });

  it('retries when SendGrid cannot be reached at all', async () => {
    const nobodyListens = `http://127.0.0.1:${await freePort()}`;

    const error = await refusal(provider({ baseUrl: nobodyListens }).sendEmail(aConfirmationEmail()));
    expect(error).toMatchObject({ code: 'ECONNREFUSED', retryable: true });
  });
});

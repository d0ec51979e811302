/**
 * Resend, the secondary email provider, through its official SDK: the request checked against Resend's published
 * contract (resend.json served by Prism), and each refusal's classification against a local stand-in.
 */
import { ResendEmailProvider, type ResendOptions } from '../../src/providers/email/resend';
import { ProviderError } from '../../src/providers/types';
import { freePort } from '../helpers/postgres';
import { specPath, startPrism, withContractVerdicts, type ContractServer } from '../helpers/prism';
import { startProviderStub, type ProviderStub } from '../helpers/provider-stubs';
import { aConfirmationEmail, aRestockReminderEmail } from './messages';

const API_KEY = 're_test_not_a_real_key';
let contract: ContractServer;
let stub: ProviderStub;

beforeAll(async () => {
  [contract, stub] = await Promise.all([startPrism(specPath('resend.json')), startProviderStub()]);
});
afterAll(async () => {
  await Promise.all([contract?.stop(), stub?.stop()]);
});

function provider(baseUrl: string, options: Partial<ResendOptions> = {}) {
  return new ResendEmailProvider({
    apiKey: API_KEY,
    from: 'orders@test-shop.example',
    fromName: 'Test Shop',
    baseUrl,
    ...options,
  });
}

async function refusal(send: Promise<unknown>): Promise<ProviderError> {
  const error = await send.then(
    () => {
      throw new Error('expected Resend to refuse the email');
    },
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

const resendError = (statusCode: number, name: string, message: string, headers?: Record<string, string>) => ({
  status: statusCode,
  headers,
  body: { statusCode, name, message },
});

describe('Resend email, against the published contract', () => {
  it('accepts an order confirmation, with the ledger id as its idempotency key and in its tags', async () => {
    const email = aConfirmationEmail();
    const receipt = await provider(contract.url, { replyTo: 'help@test-shop.example' })
      .sendEmail(email)
      .catch(withContractVerdicts(contract));

    expect(receipt.provider).toBe('resend');
    expect(typeof receipt.providerMessageId).toBe('string');
    const sent = contract.requests.at(-1)!;
    expect(sent).toMatchObject({ method: 'POST', path: '/emails', status: 200 });
    expect(sent.headers['idempotency-key']).toBe(email.idempotencyKey);
    expect(sent.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(JSON.parse(sent.body)).toMatchObject({
      from: 'Test Shop <orders@test-shop.example>',
      to: ['anna.berzina@example.com'],
      subject: email.subject,
      reply_to: 'help@test-shop.example',
      tags: expect.arrayContaining([{ name: 'ledgerId', value: email.idempotencyKey }]),
    });
  });

  it('accepts a marketing email with its one-click unsubscribe headers as given', async () => {
    const headers = {
      'List-Unsubscribe': '<https://shop.example/u?t=abc>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    };
    await provider(contract.url).sendEmail(aRestockReminderEmail({ headers })).catch(withContractVerdicts(contract));

    expect(contract.requests.at(-1)!.status).toBe(200);
    expect(JSON.parse(contract.requests.at(-1)!.body).headers).toEqual(headers);
  });
});

describe('Resend email: refusals', () => {
  it('waits out a rate limit for as long as Resend says (Retry-After)', async () => {
    stub.answerWith(resendError(429, 'rate_limit_exceeded', 'Too many requests', { 'retry-after': '2' }));
    expect(await refusal(provider(stub.url).sendEmail(aConfirmationEmail()))).toMatchObject({
      provider: 'resend',
      code: '429',
      retryable: true,
      retryAfterMs: 2_000,
    });
  });

  it('retries an outage (500)', async () => {
    stub.answerWith(resendError(500, 'internal_server_error', 'Unexpected error'));
    expect(await refusal(provider(stub.url).sendEmail(aConfirmationEmail()))).toMatchObject({
      code: '500',
      retryable: true,
      unanswered: false,
    });
  });

  it('gives up on a request Resend calls invalid (422), without quoting the address', async () => {
    stub.answerWith(resendError(422, 'validation_error', 'Invalid `to` field: anna@@example.com'));
    const error = await refusal(provider(stub.url).sendEmail(aConfirmationEmail()));
    expect(error).toMatchObject({ code: '422', retryable: false, consequence: undefined });
    expect(error.message).not.toContain('example.com');
  });

  it('stops and alerts an operator when Resend refuses the key (403)', async () => {
    stub.answerWith(resendError(403, 'invalid_api_key', 'API key is invalid'));
    expect(await refusal(provider(stub.url).sendEmail(aConfirmationEmail()))).toMatchObject({
      code: '403',
      retryable: false,
      consequence: 'alert',
    });
  });

  it('counts an unreachable Resend as no answer: its SDK hides whether the request went out', async () => {
    const nobodyListens = `http://127.0.0.1:${await freePort()}`;
    expect(await refusal(provider(nobodyListens).sendEmail(aConfirmationEmail()))).toMatchObject({
      code: 'no_answer',
      retryable: true,
      unanswered: true,
    });
  });

  it('gives up waiting after its timeout, as no answer', async () => {
    stub.answerWith({ status: 200, hang: true });
    expect(await refusal(provider(stub.url, { timeoutMs: 300 }).sendEmail(aConfirmationEmail()))).toMatchObject({
      retryable: true,
      unanswered: true,
    });
  });
});

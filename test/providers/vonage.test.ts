/**
 * Vonage SMS, the secondary SMS provider, through its official SDK against a local stand-in: what Vonage receives
 * (checked field by field against the published SMS spec, vonage_sms.yml — see test/contracts/specs/README.md for why
 * not through Prism), and how each of Vonage's refusals is classified.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { VonageSmsProvider, type VonageOptions } from '../../src/providers/sms/vonage';
import { ProviderError } from '../../src/providers/types';
import { freePort } from '../helpers/postgres';
import { specPath } from '../helpers/prism';
import { startProviderStub, type ProviderStub, type StubAnswer } from '../helpers/provider-stubs';
import { aConfirmationSms } from './messages';

const ACCOUNT = { apiKey: 'abcd1234', apiSecret: 'not-a-real-secret-1' };
let vonageApi: ProviderStub;

beforeAll(async () => {
  vonageApi = await startProviderStub();
});
afterAll(async () => {
  await vonageApi?.stop();
});

function provider(options: Partial<VonageOptions> = {}) {
  return new VonageSmsProvider({ ...ACCOUNT, from: '+14155550100', baseUrl: vonageApi.url, ...options });
}

/** Vonage's answer to a send: HTTP 200 whatever became of the message; `status` "0" is accepted. */
function vonageAnswer(status: string, extra: Record<string, string> = {}): StubAnswer {
  return { status: 200, body: { 'message-count': '1', messages: [{ to: '37126000000', status, ...extra }] } };
}

async function refusal(send: Promise<unknown>): Promise<ProviderError> {
  const error = await send.then(
    () => {
      throw new Error('expected Vonage to refuse the SMS');
    },
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

interface SchemaProperty {
  type?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  enum?: unknown[];
}

/** The spec's NewMessage: the send request's fields and their rules. */
function newMessageSchema(): { required: string[]; properties: Record<string, SchemaProperty> } {
  const spec = parse(readFileSync(specPath('vonage_sms.yml'), 'utf8'));
  return spec.components.schemas.NewMessage;
}

describe('Vonage SMS: what Vonage receives', () => {
  it('sends the SMS with the ledger id as client-ref and records Vonage’s message id', async () => {
    vonageApi.answerWith(vonageAnswer('0', { 'message-id': '0A0000000123ABCD1' }));
    const sms = aConfirmationSms();

    await expect(provider().sendSms(sms)).resolves.toEqual({
      providerMessageId: '0A0000000123ABCD1',
      provider: 'vonage',
    });
    const sent = vonageApi.requests.at(-1)!;
    expect(sent.path).toBe('/sms/json');
    expect(sent.headers.authorization).toBe(
      `Basic ${Buffer.from(`${ACCOUNT.apiKey}:${ACCOUNT.apiSecret}`).toString('base64')}`,
    );
    expect(JSON.parse(sent.body)).toEqual({
      to: '37126000000',
      from: '14155550100',
      text: sms.body,
      type: 'unicode', // the body has "–", outside GSM-7
      'client-ref': sms.idempotencyKey,
    });
  });

  it('sends only fields the published spec defines, each within its rules', async () => {
    vonageApi.answerWith(vonageAnswer('0', { 'message-id': 'm1' }));
    await provider({ statusCallbackUrl: 'https://journeys.test-shop.example/webhooks/vonage' }).sendSms(
      aConfirmationSms({ body: 'Test Shop: your parcel is on its way.' }),
    );
    const body = JSON.parse(vonageApi.requests.at(-1)!.body) as Record<string, string>;
    const { properties } = newMessageSchema();

    expect(Object.keys(body).filter((field) => !(field in properties))).toEqual([]);
    for (const [field, value] of Object.entries(body)) {
      const rule = properties[field]!;
      if (rule.pattern)
        expect({ field, matches: new RegExp(rule.pattern).test(value) }).toEqual({ field, matches: true });
      if (rule.maxLength) expect(value.length).toBeLessThanOrEqual(rule.maxLength);
      if (rule.minLength) expect(value.length).toBeGreaterThanOrEqual(rule.minLength);
      if (rule.enum) expect(rule.enum).toContain(value);
    }
    expect(body.type).toBe('text');
    expect(body['client-ref']!.length).toBeLessThanOrEqual(40); // the spec's description: "up to 40 characters"
  });

  it('is a real check: the spec’s rules catch a number that still has its "+"', () => {
    const { properties } = newMessageSchema();
    expect(new RegExp(`^${properties.to!.pattern}$`).test('+37126000000')).toBe(false);
  });
});

describe('Vonage SMS: refusals', () => {
  it('gives up on a number Vonage cannot route (6) and marks the contact invalid, without quoting it', async () => {
    vonageApi.answerWith(vonageAnswer('6', { 'error-text': 'Unroutable message - rejected: 37126000000' }));
    const error = await refusal(provider().sendSms(aConfirmationSms()));
    expect(error).toMatchObject({ provider: 'vonage', code: '6', retryable: false, consequence: 'contact_invalid' });
    expect(error.message).not.toContain('37126000000');
  });

  it('retries when Vonage throttles us (1), after a second', async () => {
    vonageApi.answerWith(vonageAnswer('1', { 'error-text': 'Throughput Rate Exceeded' }));
    expect(await refusal(provider().sendSms(aConfirmationSms()))).toMatchObject({
      code: '1',
      retryable: true,
      retryAfterMs: 1_000,
    });
  });

  it('stops and alerts an operator on bad credentials (4)', async () => {
    vonageApi.answerWith(vonageAnswer('4', { 'error-text': 'Bad Credentials' }));
    expect(await refusal(provider().sendSms(aConfirmationSms()))).toMatchObject({
      code: '4',
      retryable: false,
      consequence: 'alert',
    });
  });

  it('retries an outage (HTTP 503)', async () => {
    vonageApi.answerWith({ status: 503, body: 'unavailable' });
    expect(await refusal(provider().sendSms(aConfirmationSms()))).toMatchObject({
      code: '503',
      retryable: true,
      unanswered: false,
    });
  });

  it('tells a refused connection (nothing sent) apart from a timeout (maybe sent)', async () => {
    const nobodyListens = `http://127.0.0.1:${await freePort()}`;
    expect(await refusal(provider({ baseUrl: nobodyListens }).sendSms(aConfirmationSms()))).toMatchObject({
      code: 'ECONNREFUSED',
      retryable: true,
    });

    vonageApi.answerWith({ status: 200, hang: true });
    expect(await refusal(provider({ timeoutMs: 300 }).sendSms(aConfirmationSms()))).toMatchObject({
      code: 'timeout',
      retryable: true,
      unanswered: true,
    });
  });
});

/**
 * Twilio SMS through the official SDK against a local stand-in: what Twilio receives, and how each of Twilio's refusals
 * is classified — retry later, final for this message (and what it says about the contact), or a human must act.
 */
import { freePort } from '../helpers/postgres';
import { startProviderStub, twilioError, type ProviderStub } from '../helpers/provider-stubs';
import { TwilioSmsProvider, type TwilioOptions } from '../../src/providers/sms/twilio';
import { ProviderError } from '../../src/providers/types';
import { aConfirmationSms, TWILIO_ACCOUNT } from './messages';

let twilioApi: ProviderStub;

beforeAll(async () => {
  twilioApi = await startProviderStub();
});
afterAll(async () => {
  await twilioApi?.stop();
});

function provider(options: Partial<TwilioOptions> = {}) {
  return new TwilioSmsProvider({ ...TWILIO_ACCOUNT, from: '+14155550100', baseUrl: twilioApi.url, ...options });
}

async function refusal(send: Promise<unknown>): Promise<ProviderError> {
  const error = await send.then(
    () => {
      throw new Error('expected Twilio to refuse the SMS');
    },
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

const queued = { status: 201, body: { sid: 'SM0123456789abcdef0123456789abcdef', status: 'queued' } };

describe('Twilio SMS: what Twilio receives', () => {
  it('sends from the shop number with the account’s credentials and records the message sid', async () => {
    twilioApi.answerWith(queued);
    const sms = aConfirmationSms();

    await expect(provider().sendSms(sms)).resolves.toEqual({ providerMessageId: 'SM0123456789abcdef0123456789abcdef' });
    const sent = twilioApi.requests.at(-1)!;
    expect(sent.path).toBe(`/2010-04-01/Accounts/${TWILIO_ACCOUNT.accountSid}/Messages.json`);
    expect(sent.headers.authorization).toBe(
      `Basic ${Buffer.from(`${TWILIO_ACCOUNT.accountSid}:${TWILIO_ACCOUNT.authToken}`).toString('base64')}`,
    );
    expect(Object.fromEntries(new URLSearchParams(sent.body))).toEqual({
      To: '+37126000000',
      From: '+14155550100',
      Body: sms.body,
    });
  });

  it('keeps a proxy’s path prefix when the base URL has one', async () => {
    twilioApi.answerWith(queued);
    await provider({ baseUrl: `${twilioApi.url}/twilio-proxy/` }).sendSms(aConfirmationSms());

    expect(twilioApi.requests.at(-1)!.path).toBe(
      `/twilio-proxy/2010-04-01/Accounts/${TWILIO_ACCOUNT.accountSid}/Messages.json`,
    );
  });
});

describe('Twilio SMS: refusals', () => {
  it('gives up on a number Twilio calls invalid (21211) and marks the contact invalid, without quoting the number', async () => {
    twilioApi.answerWith(twilioError(400, 21211, "The 'To' number +3712600000 is not a valid phone number."));

    const error = await refusal(provider().sendSms(aConfirmationSms({ to: '+3712600000' })));
    expect(error).toMatchObject({
      provider: 'twilio',
      channel: 'sms',
      code: '21211',
      retryable: false,
      consequence: 'contact_invalid',
    });
    expect(error.message).not.toContain('3712600000');
    expect(error.message).toBe(
      "Twilio refused the SMS (HTTP 400, 21211): The 'To' number [number] is not a valid phone number.",
    );
  });

  it('never retries a customer who replied STOP (21610) and says they opted out', async () => {
    twilioApi.answerWith(twilioError(400, 21610, 'Attempt to send to unsubscribed recipient'));

    expect(await refusal(provider().sendSms(aConfirmationSms()))).toMatchObject({
      code: '21610',
      retryable: false,
      consequence: 'opted_out',
    });
  });

  it('stops and alerts an operator when the account may not send to that country (21408)', async () => {
    twilioApi.answerWith(
      twilioError(
        400,
        21408,
        "Permission to send an SMS has not been enabled for the region indicated by the 'To' number",
      ),
    );

    expect(await refusal(provider().sendSms(aConfirmationSms()))).toMatchObject({
      code: '21408',
      retryable: false,
      consequence: 'alert',
    });
  });

  it('stops and alerts an operator when Twilio refuses the credentials (401)', async () => {
    twilioApi.answerWith(twilioError(401, 20003, 'Authenticate'));

    expect(await refusal(provider().sendSms(aConfirmationSms()))).toMatchObject({
      code: '20003',
      retryable: false,
      consequence: 'alert',
    });
  });

  it('stops and alerts an operator when Twilio forbids the request (403)', async () => {
    twilioApi.answerWith(twilioError(403, 20403, 'Forbidden'));

    expect(await refusal(provider().sendSms(aConfirmationSms()))).toMatchObject({
      code: '20403',
      retryable: false,
      consequence: 'alert',
    });
  });

  it('retries when Twilio rate-limits us (20429)', async () => {
    twilioApi.answerWith(twilioError(429, 20429, 'Too Many Requests'));

    expect(await refusal(provider().sendSms(aConfirmationSms()))).toMatchObject({
      code: '20429',
      retryable: true,
      consequence: undefined,
    });
  });

  it('retries a bare HTTP 429, e.g. from a proxy in front of Twilio', async () => {
    twilioApi.answerWith({ status: 429, body: 'slow down' });

    expect(await refusal(provider().sendSms(aConfirmationSms()))).toMatchObject({ code: '429', retryable: true });
  });

  it('retries when Twilio has an outage (500)', async () => {
    twilioApi.answerWith(twilioError(500, 20500, 'Internal Server Error'));

    expect(await refusal(provider().sendSms(aConfirmationSms()))).toMatchObject({
      code: '20500',
      retryable: true,
      consequence: undefined,
    });
  });

  it('treats an error code it does not know as final for the message (21602)', async () => {
    twilioApi.answerWith(twilioError(400, 21602, 'Message body is required.'));

    expect(await refusal(provider().sendSms(aConfirmationSms()))).toMatchObject({
      code: '21602',
      retryable: false,
      consequence: undefined,
    });
  });

  it('retries when Twilio does not answer in time', async () => {
    twilioApi.answerWith({ status: 201, hang: true });

    expect(await refusal(provider({ timeoutMs: 300 }).sendSms(aConfirmationSms()))).toMatchObject({
      code: 'timeout',
      retryable: true,
    });
  });

  it('retries when Twilio cannot be reached at all', async () => {
    const nobodyListens = `http://127.0.0.1:${await freePort()}`;

    expect(await refusal(provider({ baseUrl: nobodyListens }).sendSms(aConfirmationSms()))).toMatchObject({
      code: 'ECONNREFUSED',
      retryable: true,
    });
  });
});

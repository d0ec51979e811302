/**
 * Our SMS, as the Twilio SDK builds it, checked against Twilio's published REST API contract (twilio_api_v2010.json)
 * served by Prism: an accepted send (201) means the form request matches the spec, parameter by parameter.
 */
import { TwilioSmsProvider, type TwilioOptions } from '../../src/providers/sms/twilio';
import { ProviderError } from '../../src/providers/types';
import { specPath, startPrism, withContractVerdicts, type ContractServer } from '../helpers/prism';
import { aConfirmationSms, TWILIO_ACCOUNT, TWILIO_MESSAGING_SERVICE_SID } from './messages';

let twilioApi: ContractServer;

beforeAll(async () => {
  twilioApi = await startPrism(specPath('twilio_api_v2010.json'));
});
afterAll(async () => {
  await twilioApi?.stop();
});

function provider(options: Partial<TwilioOptions>) {
  return new TwilioSmsProvider({
    ...TWILIO_ACCOUNT,
    statusCallbackUrl: 'https://journeys.test-shop.example/v1/webhooks/twilio/status',
    baseUrl: twilioApi.url,
    ...options,
  });
}

/** The form Prism accepted last, as Twilio would read it. */
function lastAccepted(): Record<string, string> {
  const last = twilioApi.requests.at(-1)!;
  expect(last).toMatchObject({
    method: 'POST',
    path: `/2010-04-01/Accounts/${TWILIO_ACCOUNT.accountSid}/Messages.json`,
    status: 201,
  });
  return Object.fromEntries(new URLSearchParams(last.body));
}

describe('Twilio SMS, against the published contract', () => {
  it('accepts an order confirmation from the shop number, with a status callback', async () => {
    const sms = aConfirmationSms();
    const receipt = await provider({ from: '+14155550100' }).sendSms(sms).catch(withContractVerdicts(twilioApi));

    expect(receipt.providerMessageId).toMatch(/^SM[0-9a-fA-F]{32}$/);
    expect(lastAccepted()).toEqual({
      To: '+37126000000',
      From: '+14155550100',
      Body: sms.body,
      StatusCallback: `https://journeys.test-shop.example/v1/webhooks/twilio/status?ledgerId=${sms.idempotencyKey}`,
    });
  });

  it('accepts an order confirmation through the Messaging Service, with a status callback', async () => {
    const sms = aConfirmationSms();
    const receipt = await provider({ messagingServiceSid: TWILIO_MESSAGING_SERVICE_SID, from: '+14155550100' })
      .sendSms(sms)
      .catch(withContractVerdicts(twilioApi));

    expect(receipt.providerMessageId).toMatch(/^SM[0-9a-fA-F]{32}$/);
    // With both configured the service wins and picks the sender itself.
    expect(lastAccepted()).toEqual({
      To: '+37126000000',
      MessagingServiceSid: TWILIO_MESSAGING_SERVICE_SID,
      Body: sms.body,
      StatusCallback: `https://journeys.test-shop.example/v1/webhooks/twilio/status?ledgerId=${sms.idempotencyKey}`,
    });
  });

  it('looks for an unanswered SMS with a list request the contract accepts, and sends nothing blind', async () => {
    const sms = aConfirmationSms({ retryOfUnanswered: { since: new Date() } });
    const before = twilioApi.requests.length;
    const error = await provider({ from: '+14155550100' })
      .sendSms(sms)
      .catch((err: unknown) => err);

    const sent = twilioApi.requests.slice(before);
    expect(sent.map((r) => r.method)).toEqual(['GET']);
    expect(new URL(sent[0]!.path, 'http://twilio.local').searchParams.get('To')).toBe('+37126000000');
    // The request passed; Prism then refuses its own example answer (relative page URIs where the spec says "uri"),
    // so every violation it names is about the response. That failed lookup is retried, not followed by a send.
    const violations = JSON.parse(/\[.*\]/.exec(sent[0]!.violations)![0]) as { location: string[] }[];
    expect(violations.length).toBeGreaterThan(0);
    expect(violations.every((v) => v.location[0] === 'response')).toBe(true);
    expect(error).toMatchObject({ provider: 'twilio', retryable: true, unanswered: true });
  });

  it('is a real contract check: a malformed Messaging Service SID is refused as final, not retried', async () => {
    const error = await provider({ messagingServiceSid: 'MG-not-a-sid' })
      .sendSms(aConfirmationSms())
      .catch((err: unknown) => err);

    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: 'twilio', code: '422', retryable: false });
    expect(twilioApi.requests.at(-1)?.status).toBe(422);
    expect(twilioApi.requests.at(-1)?.violations).toMatch(/MessagingServiceSid/);
  });
});

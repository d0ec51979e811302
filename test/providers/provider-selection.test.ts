/**
 * Which provider carries each channel, from the environment alone: the outbox until credentials are set, then SendGrid
 * and Twilio each on their own, with every provider option read from its variable.
 */
import { loadConfig } from '../../src/config';
import { OutboxStore } from '../../src/db/outbox';
import { createProviders } from '../../src/providers';
import { testPool } from '../helpers/database';
import { startProviderStub, type ProviderStub } from '../helpers/provider-stubs';
import {
  aConfirmationSms,
  aRestockReminderEmail,
  SENDGRID_API_KEY,
  TWILIO_ACCOUNT,
  TWILIO_MESSAGING_SERVICE_SID,
} from './messages';
import { problemsOf } from '../helpers/config-problems';

const base = { DATABASE_URL: 'postgres://localhost:5432/app' };
const sendgridEnv = { SENDGRID_API_KEY, SENDGRID_FROM: 'orders@test-shop.example' };
const twilioEnv = {
  TWILIO_ACCOUNT_SID: TWILIO_ACCOUNT.accountSid,
  TWILIO_AUTH_TOKEN: TWILIO_ACCOUNT.authToken,
  TWILIO_FROM: '+14155550100',
};

const pool = testPool();
const outbox = new OutboxStore(pool);
let stub: ProviderStub;

beforeAll(async () => {
  stub = await startProviderStub();
});
afterAll(async () => {
  await stub?.stop();
  await pool.end();
});

describe('choosing the providers', () => {
  it('keeps every message in the local outbox without provider credentials', () => {
    const { email, sms } = createProviders(loadConfig(base), outbox);
    expect([email.name, sms.name]).toEqual(['outbox', 'outbox']);
  });

  it('sends email through SendGrid once its key is set, while SMS stays in the outbox', () => {
    const { email, sms } = createProviders(loadConfig({ ...base, ...sendgridEnv }), outbox);
    expect([email.name, sms.name]).toEqual(['sendgrid', 'outbox']);
  });

  it('sends SMS through Twilio once its account is set, while email stays in the outbox', () => {
    const { email, sms } = createProviders(loadConfig({ ...base, ...twilioEnv }), outbox);
    expect([email.name, sms.name]).toEqual(['outbox', 'twilio']);
  });

  it('applies every SendGrid variable to the email SendGrid receives', async () => {
    stub.answerWith({ status: 202, headers: { 'x-message-id': 'from-env' } });
    const config = loadConfig({
      ...base,
      ...sendgridEnv,
      SHOP_NAME: 'Test Shop',
      SENDGRID_REPLY_TO: 'help@test-shop.example',
      SENDGRID_SANDBOX_MODE: 'true',
      SENDGRID_UNSUBSCRIBE_GROUP_ID: '777',
      SENDGRID_BASE_URL: stub.url,
    });

    await expect(createProviders(config, outbox).email.sendEmail(aRestockReminderEmail())).resolves.toEqual({
      providerMessageId: 'from-env',
    });
    expect(JSON.parse(stub.requests.at(-1)!.body)).toMatchObject({
      from: { email: 'orders@test-shop.example', name: 'Test Shop' }, // the shop's name unless SENDGRID_FROM_NAME says otherwise
      reply_to: { email: 'help@test-shop.example' },
      mail_settings: { sandbox_mode: { enable: true } },
      asm: { group_id: 777 },
    });
  });

  it('applies every Twilio variable to the SMS Twilio receives', async () => {
    stub.answerWith({ status: 201, body: { sid: 'SMfedcba9876543210fedcba9876543210' } });
    const config = loadConfig({
      ...base,
      ...twilioEnv,
      TWILIO_MESSAGING_SERVICE_SID,
      TWILIO_STATUS_CALLBACK_URL: 'https://journeys.test-shop.example/v1/webhooks/twilio/status',
      TWILIO_BASE_URL: stub.url,
    });
    const sms = aConfirmationSms();

    await expect(createProviders(config, outbox).sms.sendSms(sms)).resolves.toEqual({
      providerMessageId: 'SMfedcba9876543210fedcba9876543210',
    });
    expect(Object.fromEntries(new URLSearchParams(stub.requests.at(-1)!.body))).toMatchObject({
      MessagingServiceSid: TWILIO_MESSAGING_SERVICE_SID,
      StatusCallback: `https://journeys.test-shop.example/v1/webhooks/twilio/status?ledgerId=${sms.idempotencyKey}`,
    });
  });
});

describe('provider configuration mistakes stop start-up, naming the variable', () => {
  it('refuses an unsubscribe group that is not a number, and base URLs that are not URLs', () => {
    expect(
      problemsOf({
        ...base,
        ...sendgridEnv,
        ...twilioEnv,
        SENDGRID_UNSUBSCRIBE_GROUP_ID: 'marketing',
        SENDGRID_BASE_URL: 'eu',
        TWILIO_BASE_URL: 'localhost:8080',
      }),
    ).toEqual([
      'SENDGRID_UNSUBSCRIBE_GROUP_ID must be the numeric id of a SendGrid unsubscribe group',
      'SENDGRID_BASE_URL must be an http:// or https:// URL',
      'TWILIO_BASE_URL must be an http:// or https:// URL',
    ]);
  });

  it('refuses a reply-to that is not an address and a status callback that is not a URL', () => {
    expect(
      problemsOf({
        ...base,
        ...sendgridEnv,
        ...twilioEnv,
        SENDGRID_REPLY_TO: 'help desk',
        TWILIO_STATUS_CALLBACK_URL: '/v1/webhooks',
      }),
    ).toEqual([expect.stringMatching(/^SENDGRID_REPLY_TO /), expect.stringMatching(/^TWILIO_STATUS_CALLBACK_URL /)]);
  });

  it('refuses provider options without the provider’s credentials, which would quietly leave messages in the outbox', () => {
    expect(
      problemsOf({
        ...base,
        SENDGRID_BASE_URL: 'https://api.eu.sendgrid.com',
        TWILIO_STATUS_CALLBACK_URL: 'https://journeys.test-shop.example/s',
      }),
    ).toEqual([
      'SENDGRID_BASE_URL has no effect without SENDGRID_API_KEY',
      'TWILIO_STATUS_CALLBACK_URL has no effect without TWILIO_ACCOUNT_SID',
    ]);
  });

  it('refuses a sandbox switch that is not true or false', () => {
    expect(problemsOf({ ...base, ...sendgridEnv, SENDGRID_SANDBOX_MODE: 'yes' })).toEqual([
      expect.stringMatching(/^SENDGRID_SANDBOX_MODE /),
    ]);
  });
});

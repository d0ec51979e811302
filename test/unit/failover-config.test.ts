/**
 * The failover providers' and circuit breakers' configuration: each provider complete or refused by name, the
 * breakers' thresholds with defaults, and createProviders pairing a channel's two providers only when both are set.
 */
import { loadConfig } from '../../src/config';
import { createProviders } from '../../src/providers';
import type { OutboxStore } from '../../src/db/outbox';
import { problemsOf } from '../helpers/config-problems';

const base = { DATABASE_URL: 'postgres://localhost:5432/app' };
const SENDGRID = { SENDGRID_API_KEY: 'SG.key', SENDGRID_FROM: 'orders@shop.example' };
const RESEND = { RESEND_API_KEY: 're_key', RESEND_FROM: 'orders@shop.example' };
const TWILIO = { TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'token', TWILIO_FROM: '+14155550100' };
const VONAGE = { VONAGE_API_KEY: 'abcd1234', VONAGE_API_SECRET: 'secret', VONAGE_FROM: 'TestShop' };
const noOutbox = {} as OutboxStore; // never written: only the choice of providers is looked at

describe('failover configuration', () => {
  it('reads the secondary providers and the breakers’ defaults', () => {
    const config = loadConfig({ ...base, SHOP_NAME: 'Test Shop', ...RESEND, ...VONAGE });
    expect(config.resend).toEqual({
      apiKey: 're_key',
      from: 'orders@shop.example',
      fromName: 'Test Shop',
      replyTo: undefined,
      baseUrl: undefined,
    });
    expect(config.vonage).toMatchObject({ apiKey: 'abcd1234', apiSecret: 'secret', from: 'TestShop' });
    expect(config.failover).toEqual({
      circuit: { failureThreshold: 5, openForMs: 30_000, probeTimeoutMs: 15_000 },
      maxRateLimitWaitMs: 5_000,
    });
  });

  it('takes the breakers’ thresholds from the environment', () => {
    const config = loadConfig({
      ...base,
      PROVIDER_CIRCUIT_FAILURE_THRESHOLD: '3',
      PROVIDER_CIRCUIT_OPEN_SECONDS: '10',
      PROVIDER_CIRCUIT_PROBE_TIMEOUT_SECONDS: '2.5',
      FAILOVER_MAX_RATE_LIMIT_WAIT_SECONDS: '1',
    });
    expect(config.failover).toEqual({
      circuit: { failureThreshold: 3, openForMs: 10_000, probeTimeoutMs: 2_500 },
      maxRateLimitWaitMs: 1_000,
    });
  });

  it('names what is missing or wrong', () => {
    expect(problemsOf({ ...base, RESEND_API_KEY: 're_key' })).toEqual([
      'RESEND_FROM is required when RESEND_API_KEY is set (Resend email)',
    ]);
    expect(problemsOf({ ...base, ...RESEND, RESEND_API_KEY: 'sk_live' })).toEqual([
      'RESEND_API_KEY must start with "re_"',
    ]);
    expect(problemsOf({ ...base, VONAGE_API_KEY: 'abcd1234', VONAGE_FROM: 'TestShop' })).toEqual([
      'VONAGE_API_SECRET is required when VONAGE_API_KEY, VONAGE_FROM are set (Vonage SMS)',
    ]);
    expect(problemsOf({ ...base, ...VONAGE, VONAGE_FROM: 'Test Shop Riga Ltd' })).toEqual([
      expect.stringMatching(/^VONAGE_FROM must be an E\.164 number/),
    ]);
    expect(problemsOf({ ...base, VONAGE_BASE_URL: 'http://127.0.0.1:9' })).toEqual([
      'VONAGE_BASE_URL has no effect without VONAGE_API_KEY',
    ]);
    expect(problemsOf({ ...base, PROVIDER_CIRCUIT_FAILURE_THRESHOLD: '0' })).toEqual([
      'PROVIDER_CIRCUIT_FAILURE_THRESHOLD must be at least 1',
    ]);
  });
});

describe('createProviders', () => {
  const names = (env: Record<string, string>) => {
    const { email, sms } = createProviders(loadConfig({ ...base, ...env }), noOutbox);
    return [email.name, sms.name];
  };

  it('pairs a channel’s primary and secondary only when both are configured', () => {
    expect(names({ ...SENDGRID, ...RESEND, ...TWILIO, ...VONAGE })).toEqual(['sendgrid+resend', 'twilio+vonage']);
    expect(names({ ...SENDGRID, ...TWILIO })).toEqual(['sendgrid', 'twilio']);
    expect(names({ ...RESEND, ...VONAGE })).toEqual(['resend', 'vonage']); // a secondary alone sends alone
    expect(names({})).toEqual(['outbox', 'outbox']);
  });
});

/**
 * Chooses the messaging providers from the config, each channel on its own: SendGrid (email) and Twilio (SMS) when
 * their credentials are set, Resend and Vonage as their failover providers when theirs are too (docs/failover.md), a
 * secondary alone when it is the only one configured, and the local outbox otherwise — so the dev stack works out of
 * the box.
 */
import type { OutboxStore } from '../db/outbox';
import { ResendEmailProvider, type ResendOptions } from './email/resend';
import { SendGridEmailProvider, type SendGridOptions } from './email/sendgrid';
import { failOpen, NO_CIRCUIT_BREAKER, type CircuitBreaker, type FailOpenOptions } from './failover/circuit-breaker';
import { FailoverEmailProvider, FailoverSmsProvider, type FailoverDeps } from './failover/failover-providers';
import { OutboxProvider } from './outbox/outbox-provider';
import { TwilioSmsProvider, type TwilioOptions } from './sms/twilio';
import { VonageSmsProvider, type VonageOptions } from './sms/vonage';
import type { EmailProvider, SmsProvider } from './types';

export interface Providers {
  email: EmailProvider;
  sms: SmsProvider;
}

/** The messaging providers' options as config reads them; a provider left out is not configured. */
export interface MessagingProviderOptions {
  sendgrid?: SendGridOptions;
  twilio?: TwilioOptions;
  resend?: ResendOptions;
  vonage?: VonageOptions;
  /** A rate limit whose window is at most this long is waited out on the primary (default 5 s). */
  failover?: { maxRateLimitWaitMs: number };
}

export interface ProviderPairOptions {
  /** The providers' shared circuit breakers (src/db/provider-circuits.ts); none: every provider is always tried. */
  breaker?: CircuitBreaker;
  /** Told when the breaker's store fails: the send goes on as if the circuit were closed. */
  onBreakerError?: FailOpenOptions['onError'];
  /**
   * Wraps each provider before it is paired (the worker times each call under the provider's own name, so a failover
   * shows as calls to the secondary, not to the pair).
   */
  decorate?: { email: (provider: EmailProvider) => EmailProvider; sms: (provider: SmsProvider) => SmsProvider };
}

const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 5_000;

/** Whether either channel has a primary and a failover provider: only then are there circuit breakers to show. */
export function hasFailoverPair(config: MessagingProviderOptions): boolean {
  return Boolean((config.sendgrid && config.resend) || (config.twilio && config.vonage));
}

export function createProviders(
  config: MessagingProviderOptions,
  outbox: OutboxStore,
  pairs: ProviderPairOptions = {},
): Providers {
  const failover: FailoverDeps = {
    breaker: failOpen(pairs.breaker ?? NO_CIRCUIT_BREAKER, { onError: pairs.onBreakerError }),
    settings: { maxRateLimitWaitMs: config.failover?.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS },
  };
  const email = pairs.decorate?.email ?? ((provider: EmailProvider) => provider);
  const sms = pairs.decorate?.sms ?? ((provider: SmsProvider) => provider);
  const outboxProvider = new OutboxProvider(outbox);
  const local = { email: email(outboxProvider), sms: sms(outboxProvider) };
  const sendgrid = config.sendgrid && email(new SendGridEmailProvider(config.sendgrid));
  const resend = config.resend && email(new ResendEmailProvider(config.resend));
  const twilio = config.twilio && sms(new TwilioSmsProvider(config.twilio));
  const vonage = config.vonage && sms(new VonageSmsProvider(config.vonage));
  return {
    email:
      sendgrid && resend ? new FailoverEmailProvider(sendgrid, resend, failover) : (sendgrid ?? resend ?? local.email),
    sms: twilio && vonage ? new FailoverSmsProvider(twilio, vonage, failover) : (twilio ?? vonage ?? local.sms),
  };
}

/**
 * Chooses the messaging providers from the config, each channel on its own: SendGrid when its credentials are set,
 * Twilio when its are, the local outbox otherwise — so the dev stack works out of the box.
 */
import type { OutboxStore } from '../db/outbox';
import { SendGridEmailProvider, type SendGridOptions } from './email/sendgrid';
import { OutboxProvider } from './outbox/outbox-provider';
import { TwilioSmsProvider, type TwilioOptions } from './sms/twilio';
import type { EmailProvider, SmsProvider } from './types';

export interface Providers {
  email: EmailProvider;
  sms: SmsProvider;
}

/** The messaging providers' options as config reads them; a provider left out is not configured. */
export interface MessagingProviderOptions {
  sendgrid?: SendGridOptions;
  twilio?: TwilioOptions;
}

export function createProviders(config: MessagingProviderOptions, outbox: OutboxStore): Providers {
  const local = new OutboxProvider(outbox);
  return {
    email: config.sendgrid ? new SendGridEmailProvider(config.sendgrid) : local,
    sms: config.twilio ? new TwilioSmsProvider(config.twilio) : local,
  };
}

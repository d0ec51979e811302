/**
 * Chooses the messaging providers from the config, each channel on its own: SendGrid when its credentials are set,
 * Twilio when its are, the local outbox otherwise — so the dev stack works out of the box.
 */
import type { Config } from '../config';
import type { OutboxStore } from '../db/outbox';
import { SendGridEmailProvider } from './email/sendgrid';
import { OutboxProvider } from './outbox/outbox-provider';
import { TwilioSmsProvider } from './sms/twilio';
import type { EmailProvider, SmsProvider } from './types';

export interface Providers {
  email: EmailProvider;
  sms: SmsProvider;
}

export function createProviders(config: Pick<Config, 'sendgrid' | 'twilio'>, outbox: OutboxStore): Providers {
  const local = new OutboxProvider(outbox);
  return {
    email: config.sendgrid ? new SendGridEmailProvider(config.sendgrid) : local,
    sms: config.twilio ? new TwilioSmsProvider(config.twilio) : local,
  };
}

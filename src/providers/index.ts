/**
 * Chooses the messaging providers from the config. Without SendGrid/Twilio credentials every message goes to the
 * local outbox, so the dev stack works out of the box.
 */
import type { Config } from '../config';
import type { OutboxStore } from '../db/outbox';
import { OutboxProvider } from './outbox/outbox-provider';
import type { EmailProvider, SmsProvider } from './types';

export interface Providers {
  email: EmailProvider;
  sms: SmsProvider;
}

export function createProviders(config: Config, outbox: OutboxStore): Providers {
  const local = new OutboxProvider(outbox);
  if (config.sendgrid || config.twilio) {
    throw new Error('SendGrid and Twilio providers are not available in this build yet; unset their variables to use the local outbox');
  }
  return { email: local, sms: local };
}

/** A primary and a secondary provider behind the one EmailProvider / SmsProvider interface the journey uses. */
import type { EmailProvider, OutgoingEmail, OutgoingSms, SendReceipt, SmsProvider } from '../types';
import type { CircuitBreaker } from './circuit-breaker';
import { sendWithFailover, type FailoverSettings } from './send-with-failover';

export interface FailoverDeps {
  breaker: CircuitBreaker;
  settings: FailoverSettings;
}

export class FailoverEmailProvider implements EmailProvider {
  readonly name: string;

  constructor(
    readonly primary: EmailProvider,
    readonly secondary: EmailProvider,
    private readonly deps: FailoverDeps,
  ) {
    this.name = `${primary.name}+${secondary.name}`;
  }

  sendEmail(email: OutgoingEmail): Promise<SendReceipt> {
    return sendWithFailover(
      {
        channel: 'email',
        primary: { name: this.primary.name, send: (m) => this.primary.sendEmail(m) },
        secondary: { name: this.secondary.name, send: (m) => this.secondary.sendEmail(m) },
        ...this.deps,
      },
      email,
    );
  }
}

export class FailoverSmsProvider implements SmsProvider {
  readonly name: string;

  constructor(
    readonly primary: SmsProvider,
    readonly secondary: SmsProvider,
    private readonly deps: FailoverDeps,
  ) {
    this.name = `${primary.name}+${secondary.name}`;
  }

  sendSms(sms: OutgoingSms): Promise<SendReceipt> {
    return sendWithFailover(
      {
        channel: 'sms',
        primary: { name: this.primary.name, send: (m) => this.primary.sendSms(m) },
        secondary: { name: this.secondary.name, send: (m) => this.secondary.sendSms(m) },
        ...this.deps,
      },
      sms,
    );
  }
}

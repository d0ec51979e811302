/**
 * The local provider used when no SendGrid/Twilio credentials are configured: it records every message in PostgreSQL,
 * where `/outbox` shows it. Idempotent on the ledger id, like a provider with idempotency keys.
 */
import type { OutboxStore } from '../../db/outbox';
import type { EmailProvider, OutgoingEmail, OutgoingSms, SendReceipt, SmsProvider } from '../types';

export class OutboxProvider implements EmailProvider, SmsProvider {
  readonly name = 'outbox';

  constructor(private readonly outbox: OutboxStore) {}

  async sendEmail(email: OutgoingEmail): Promise<SendReceipt> {
    const row = await this.outbox.record({
      idempotencyKey: email.idempotencyKey,
      channel: 'email',
      orderId: email.orderId,
      journeyId: email.journeyId,
      messageType: email.messageType,
      recipient: email.to,
      subject: email.subject,
      textBody: email.text,
      htmlBody: email.html,
      headers: email.headers && Object.keys(email.headers).length ? email.headers : null,
    });
    return { providerMessageId: `outbox-${row.id}` };
  }

  async sendSms(sms: OutgoingSms): Promise<SendReceipt> {
    const row = await this.outbox.record({
      idempotencyKey: sms.idempotencyKey,
      channel: 'sms',
      orderId: sms.orderId,
      journeyId: sms.journeyId,
      messageType: sms.messageType,
      recipient: sms.to,
      subject: null,
      textBody: sms.body,
      htmlBody: null,
    });
    return { providerMessageId: `outbox-${row.id}` };
  }
}

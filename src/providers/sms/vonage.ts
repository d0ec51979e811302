/**
 * SMS through Vonage's SMS API, with the official SDK (`@vonage/sms`): the secondary SMS provider (docs/failover.md).
 * The ledger id travels as `client-ref`, which Vonage echoes in its delivery receipts. Vonage takes no idempotency key:
 * a retry after an unanswered call may send again (counted, as for Twilio).
 */
import { Auth } from '@vonage/auth';
import { SMS } from '@vonage/sms';
import { smsEncoding } from '../../templates/sms-segments';
import type { OutgoingSms, SendReceipt, SmsProvider } from '../types';
import { classifyVonageError } from './vonage-errors';

export interface VonageOptions {
  apiKey: string;
  apiSecret: string;
  /** The sender: an E.164 number or an alphanumeric sender id where the destination country allows one. */
  from: string;
  /** Where Vonage sends delivery receipts, when not the account's default webhook. */
  statusCallbackUrl?: string;
  /** Instead of https://rest.nexmo.com: a proxy or a local test server. */
  baseUrl?: string;
  /** Per request, below the activity's start-to-close timeout. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** Vonage's client-ref takes up to 40 characters: a ledger id (a UUID, 36) fits. */
const CLIENT_REF_MAX = 40;

export class VonageSmsProvider implements SmsProvider {
  readonly name = 'vonage';
  private readonly client: SMS;

  constructor(private readonly options: VonageOptions) {
    this.client = new SMS(new Auth({ apiKey: options.apiKey, apiSecret: options.apiSecret }), {
      restHost: options.baseUrl?.replace(/\/$/, '') ?? 'https://rest.nexmo.com',
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
  }

  async sendSms(sms: OutgoingSms): Promise<SendReceipt> {
    try {
      const answer = await this.client.send({
        // Vonage's numbers are E.164 digits without the "+".
        to: sms.to.replace(/^\+/, ''),
        from: this.options.from.replace(/^\+/, ''),
        text: sms.body,
        // Non-GSM characters (ā, č, ž, Arabic…) need the unicode type, or Vonage replaces them.
        type: smsEncoding(sms.body) === 'GSM-7' ? 'text' : 'unicode',
        clientRef: sms.idempotencyKey.slice(0, CLIENT_REF_MAX),
        ...(this.options.statusCallbackUrl ? { callback: this.options.statusCallbackUrl } : {}),
      } as Parameters<SMS['send']>[0]);
      const messageId = answer.messages[0]?.messageId;
      return { providerMessageId: messageId ?? `no-message-id:${sms.idempotencyKey}`, provider: this.name };
    } catch (err) {
      throw classifyVonageError(err) ?? err;
    }
  }
}

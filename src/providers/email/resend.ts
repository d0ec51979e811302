/**
 * Email through Resend, with the official SDK: the secondary email provider (docs/failover.md). Resend honours an
 * `Idempotency-Key` (for 24 hours): the ledger id goes there, so a retry after an unanswered call returns the first
 * call's message instead of sending a second one. The ledger's identifiers also travel as tags, which Resend echoes in
 * its webhook events.
 */
import { Resend } from 'resend';
import type { EmailProvider, OutgoingEmail, SendReceipt } from '../types';
import { classifyResendError } from './resend-errors';

export interface ResendOptions {
  apiKey: string;
  /** A sender address on a domain verified in Resend. */
  from: string;
  /** The name customers see next to `from`, e.g. the shop's name. */
  fromName?: string;
  /** Where customers' replies go, when not to `from`. */
  replyTo?: string;
  /** Instead of https://api.resend.com: a proxy or a local test server. */
  baseUrl?: string;
  /** Per request, below the activity's start-to-close timeout. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** Tag values may hold only ASCII letters, digits, underscores and dashes. */
const tagValue = (value: string) => value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256);

export class ResendEmailProvider implements EmailProvider {
  readonly name = 'resend';
  private readonly client: Resend;

  constructor(private readonly options: ResendOptions) {
    this.client = new Resend(options.apiKey, { baseUrl: options.baseUrl?.replace(/\/$/, '') });
  }

  async sendEmail(email: OutgoingEmail): Promise<SendReceipt> {
    const { from, fromName, replyTo, timeoutMs = DEFAULT_TIMEOUT_MS } = this.options;
    const { data, error, headers } = await this.client.emails.send(
      {
        from: fromName ? `${fromName.replace(/[<>"]/g, '')} <${from}>` : from,
        to: [email.to],
        subject: email.subject,
        text: email.text,
        html: email.html,
        ...(replyTo ? { replyTo } : {}),
        ...(email.headers && Object.keys(email.headers).length ? { headers: email.headers } : {}),
        tags: [
          { name: 'ledgerId', value: tagValue(email.idempotencyKey) },
          { name: 'messageType', value: tagValue(email.messageType) },
          { name: 'orderId', value: tagValue(email.orderId) },
        ],
      },
      { idempotencyKey: email.idempotencyKey, signal: AbortSignal.timeout(timeoutMs) },
    );
    if (error) throw classifyResendError(error, headers);
    return { providerMessageId: data.id, provider: this.name };
  }
}

/**
 * Email through SendGrid's v3 Mail Send, with the official SDK. Every message carries the ledger's identifiers in
 * `custom_args`, which SendGrid echoes in its event webhook: that is how delivery events find their ledger row.
 */
import { Client } from '@sendgrid/client';
import sgMail, { type MailDataRequired } from '@sendgrid/mail';
import type { EmailProvider, OutgoingEmail, SendReceipt } from '../types';
import { classifySendGridError } from './sendgrid-errors';

export interface SendGridOptions {
  apiKey: string;
  /** A verified sender address. */
  from: string;
  /** The name customers see next to `from`, e.g. the shop's name. */
  fromName?: string;
  /** Where customers' replies go, when not to `from`. */
  replyTo?: string;
  /** SendGrid validates each request but delivers nothing: for staging environments. */
  sandboxMode?: boolean;
  /** The unsubscribe group (ASM) marketing email belongs to. Transactional email is never put in a group. */
  unsubscribeGroupId?: number;
  /** Instead of https://api.sendgrid.com: a regional endpoint, a proxy, or a local test server. */
  baseUrl?: string;
  /** Per request, below the activity's start-to-close timeout so a hung connection becomes a retryable timeout. */
  timeoutMs?: number;
}

type MailService = typeof sgMail;

/**
 * @sendgrid/mail exports only its process-wide singleton at runtime (the typed `MailService` export is undefined), so a
 * dedicated instance — with its own key and base URL, untouched by any other code — comes from the singleton's class.
 */
const MailServiceClass = sgMail.constructor as new () => MailService;

const DEFAULT_TIMEOUT_MS = 10_000;

export class SendGridEmailProvider implements EmailProvider {
  readonly name = 'sendgrid';
  private readonly mail: MailService;

  constructor(private readonly options: SendGridOptions) {
    const client = new Client();
    client.setApiKey(options.apiKey);
    // Only after setApiKey, which sets the base URL back to SendGrid's default host.
    if (options.baseUrl) client.setDefaultRequest('baseUrl', options.baseUrl);
    this.mail = new MailServiceClass();
    this.mail.setClient(client);
    this.mail.setTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  async sendEmail(email: OutgoingEmail): Promise<SendReceipt> {
    try {
      const [response] = await this.mail.send(this.request(email));
      const messageId: unknown = (response.headers as Record<string, unknown>)['x-message-id'];
      // SendGrid sends X-Message-Id with every real 202. Without it (sandbox mode, a contract mock) the message was
      // still accepted: record that, not a failure, since events are matched on custom_args.ledgerId anyway.
      return {
        providerMessageId:
          typeof messageId === 'string' && messageId ? messageId : `no-x-message-id:${email.idempotencyKey}`,
      };
    } catch (err) {
      throw classifySendGridError(err) ?? err;
    }
  }

  private request(email: OutgoingEmail): MailDataRequired {
    const { from, fromName, replyTo, sandboxMode, unsubscribeGroupId } = this.options;
    return {
      // custom_args go on the personalization: the published spec types the top-level field as a string, while both the
      // spec and the API take the per-recipient object, which SendGrid echoes in every event for that recipient.
      personalizations: [
        {
          to: email.to,
          customArgs: {
            journeyId: email.journeyId,
            orderId: email.orderId,
            step: email.step,
            ledgerId: email.idempotencyKey,
            messageType: email.messageType,
          },
        },
      ],
      from: fromName ? { email: from, name: fromName } : from,
      ...(replyTo ? { replyTo } : {}),
      subject: email.subject,
      text: email.text,
      html: email.html,
      // SendGrid's statistics and suppressions are kept per category: one per message type.
      categories: [email.messageType],
      // Message-level headers (the spec's `headers` object), e.g. List-Unsubscribe for one-click unsubscribe (RFC
      // 8058).
      ...(email.headers && Object.keys(email.headers).length ? { headers: email.headers } : {}),
      ...(email.marketing && unsubscribeGroupId !== undefined ? { asm: { groupId: unsubscribeGroupId } } : {}),
      ...(sandboxMode ? { mailSettings: { sandboxMode: { enable: true } } } : {}),
    };
  }
}

/** Email through SendGrid (src/providers/email/sendgrid.ts); without SENDGRID_API_KEY, email goes to the outbox. */
import { z } from 'zod';
import type { SendGridOptions } from '../../providers/email/sendgrid';
import { bool, httpUrl } from '../values';
import { defineSection, requireCredential, requireTogether } from '../section';

export interface SendGridConfig {
  /** The adapter's options (documented there); undefined: not configured. */
  sendgrid?: Omit<SendGridOptions, 'timeoutMs'>;
  /** The event webhook's verification key (Mail Settings → Event Webhook → Signed Event Webhook), PEM or base64. */
  sendgridWebhookPublicKey?: string;
}

export const sendGridSection = defineSection({
  variables: {
    SENDGRID_API_KEY: z.string().startsWith('SG.', 'must start with "SG."').optional(),
    SENDGRID_FROM: z.email().optional(),
    SENDGRID_FROM_NAME: z.string().min(1).optional(),
    SENDGRID_REPLY_TO: z.email().optional(),
    SENDGRID_SANDBOX_MODE: bool.default(false),
    SENDGRID_UNSUBSCRIBE_GROUP_ID: z.coerce
      .number({ error: 'must be the numeric id of a SendGrid unsubscribe group' })
      .int('must be a whole number')
      .positive('must be a positive number')
      .optional(),
    SENDGRID_BASE_URL: httpUrl.optional(),
    SENDGRID_WEBHOOK_PUBLIC_KEY: z.string().min(1).optional(),
  },
  check(e, report) {
    requireTogether(e, ['SENDGRID_API_KEY', 'SENDGRID_FROM'], 'SendGrid email', report);
    const options = ['SENDGRID_FROM_NAME', 'SENDGRID_REPLY_TO', 'SENDGRID_UNSUBSCRIBE_GROUP_ID', 'SENDGRID_BASE_URL'];
    requireCredential(e, [...options, 'SENDGRID_WEBHOOK_PUBLIC_KEY'], 'SENDGRID_API_KEY', report);
  },
  read: (e): SendGridConfig => ({
    sendgrid:
      e.SENDGRID_API_KEY && e.SENDGRID_FROM
        ? {
            apiKey: e.SENDGRID_API_KEY,
            from: e.SENDGRID_FROM,
            fromName: e.SENDGRID_FROM_NAME ?? e.SHOP_NAME,
            replyTo: e.SENDGRID_REPLY_TO,
            sandboxMode: e.SENDGRID_SANDBOX_MODE,
            unsubscribeGroupId: e.SENDGRID_UNSUBSCRIBE_GROUP_ID,
            baseUrl: e.SENDGRID_BASE_URL,
          }
        : undefined,
    sendgridWebhookPublicKey: e.SENDGRID_WEBHOOK_PUBLIC_KEY,
  }),
});

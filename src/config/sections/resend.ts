/**
 * Email through Resend (src/providers/email/resend.ts): the failover provider when SendGrid is the primary, the only
 * email provider when SendGrid is not configured.
 */
import { z } from 'zod';
import type { ResendOptions } from '../../providers/email/resend';
import { httpUrl } from '../values';
import { defineSection, requireCredential, requireTogether } from '../section';

/** The adapter's options (documented there); undefined: not configured. */
export type ResendConfig = Omit<ResendOptions, 'timeoutMs'>;

export const resendSection = defineSection({
  variables: {
    RESEND_API_KEY: z.string().startsWith('re_', 'must start with "re_"').optional(),
    RESEND_FROM: z.email().optional(),
    RESEND_FROM_NAME: z.string().min(1).optional(),
    RESEND_REPLY_TO: z.email().optional(),
    RESEND_BASE_URL: httpUrl.optional(),
    /** The webhook endpoint's signing secret, as Resend shows it (`whsec_…`). */
    RESEND_WEBHOOK_SECRET: z.string().startsWith('whsec_', 'must start with "whsec_"').optional(),
  },
  check(e, report) {
    requireTogether(e, ['RESEND_API_KEY', 'RESEND_FROM'], 'Resend email', report);
    requireCredential(
      e,
      ['RESEND_FROM_NAME', 'RESEND_REPLY_TO', 'RESEND_BASE_URL', 'RESEND_WEBHOOK_SECRET'],
      'RESEND_API_KEY',
      report,
    );
  },
  read: (e): { resend?: ResendConfig; resendWebhookSecret?: string } => ({
    resendWebhookSecret: e.RESEND_WEBHOOK_SECRET,
    resend:
      e.RESEND_API_KEY && e.RESEND_FROM
        ? {
            apiKey: e.RESEND_API_KEY,
            from: e.RESEND_FROM,
            fromName: e.RESEND_FROM_NAME ?? e.SHOP_NAME,
            replyTo: e.RESEND_REPLY_TO,
            baseUrl: e.RESEND_BASE_URL,
          }
        : undefined,
  }),
});

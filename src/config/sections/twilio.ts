/** SMS through Twilio (src/providers/sms/twilio.ts); without TWILIO_ACCOUNT_SID SMS go to the local outbox. */
import { z } from 'zod';
import { isE164PhoneNumber } from '../../domain/phone';
import type { TwilioOptions } from '../../providers/sms/twilio';
import { httpUrl } from '../values';
import { defineSection, requireCredential, requireTogether } from '../section';

/** The adapter's options (documented there); undefined: not configured. */
export type TwilioConfig = Omit<TwilioOptions, 'timeoutMs'>;

export const twilioSection = defineSection({
  variables: {
    TWILIO_ACCOUNT_SID: z
      .string()
      .regex(/^AC[0-9a-fA-F]{32}$/, 'must be "AC" followed by 32 hex digits')
      .optional(),
    TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
    TWILIO_FROM: z
      .string()
      .refine(isE164PhoneNumber, 'must be an E.164 number in a real numbering plan, such as +14155550100')
      .optional(),
    TWILIO_MESSAGING_SERVICE_SID: z
      .string()
      .regex(/^MG[0-9a-fA-F]{32}$/)
      .optional(),
    TWILIO_STATUS_CALLBACK_URL: httpUrl.optional(),
    TWILIO_BASE_URL: httpUrl.optional(),
  },
  check(e, report) {
    requireTogether(e, ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'], 'Twilio SMS', report);
    if (e.TWILIO_ACCOUNT_SID && !e.TWILIO_FROM && !e.TWILIO_MESSAGING_SERVICE_SID) {
      report('TWILIO_FROM', 'or TWILIO_MESSAGING_SERVICE_SID is required for Twilio SMS');
    }
    requireCredential(e, ['TWILIO_STATUS_CALLBACK_URL', 'TWILIO_BASE_URL'], 'TWILIO_ACCOUNT_SID', report);
  },
  read: (e): { twilio?: TwilioConfig } => ({
    twilio:
      e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN
        ? {
            accountSid: e.TWILIO_ACCOUNT_SID,
            authToken: e.TWILIO_AUTH_TOKEN,
            from: e.TWILIO_FROM,
            messagingServiceSid: e.TWILIO_MESSAGING_SERVICE_SID,
            statusCallbackUrl: e.TWILIO_STATUS_CALLBACK_URL,
            baseUrl: e.TWILIO_BASE_URL,
          }
        : undefined,
  }),
});

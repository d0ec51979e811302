/**
 * SMS through Vonage (src/providers/sms/vonage.ts): the failover provider when Twilio is the primary, the only SMS
 * provider when Twilio is not configured.
 */
import { AlgorithmTypes } from '@vonage/auth';
import { z } from 'zod';
import { isE164PhoneNumber } from '../../domain/phone';
import type { VonageOptions } from '../../providers/sms/vonage';
import { httpUrl } from '../values';
import { defineSection, requireCredential, requireTogether } from '../section';

/** The adapter's options (documented there); undefined: not configured. */
export type VonageConfig = Omit<VonageOptions, 'timeoutMs'>;

/** The signature methods a Vonage account can sign webhooks with (Settings → API settings → Signed webhooks). */
const SIGNATURE_METHODS = {
  md5hash: AlgorithmTypes.md5hash,
  md5hmac: AlgorithmTypes.md5hmac,
  sha1hmac: AlgorithmTypes.sha1hmac,
  sha256hmac: AlgorithmTypes.sha256hmac,
  sha512hmac: AlgorithmTypes.sha512hmac,
} as const;

/** How Vonage's delivery receipts are signed; undefined: the receipts webhook answers 503. */
export interface VonageSignature {
  secret: string;
  method: AlgorithmTypes;
}

/** Vonage's alphanumeric sender ids: up to 11 letters, digits and spaces, where the destination country allows them. */
const ALPHANUMERIC_SENDER = /^[A-Za-z0-9 ]{1,11}$/;

export const vonageSection = defineSection({
  variables: {
    VONAGE_API_KEY: z.string().min(1).optional(),
    VONAGE_API_SECRET: z.string().min(1).optional(),
    VONAGE_FROM: z
      .string()
      .refine(
        (from) => isE164PhoneNumber(from) || ALPHANUMERIC_SENDER.test(from),
        'must be an E.164 number such as +14155550100, or an alphanumeric sender id of up to 11 characters',
      )
      .optional(),
    VONAGE_STATUS_CALLBACK_URL: httpUrl.optional(),
    VONAGE_BASE_URL: httpUrl.optional(),
    /** The account's signature secret, which signs its delivery receipts. */
    VONAGE_SIGNATURE_SECRET: z.string().min(1).optional(),
    VONAGE_SIGNATURE_METHOD: z.enum(Object.keys(SIGNATURE_METHODS) as [keyof typeof SIGNATURE_METHODS]).optional(),
  },
  check(e, report) {
    requireTogether(e, ['VONAGE_API_KEY', 'VONAGE_API_SECRET', 'VONAGE_FROM'], 'Vonage SMS', report);
    requireCredential(
      e,
      ['VONAGE_STATUS_CALLBACK_URL', 'VONAGE_BASE_URL', 'VONAGE_SIGNATURE_SECRET'],
      'VONAGE_API_KEY',
      report,
    );
    requireCredential(e, ['VONAGE_SIGNATURE_METHOD'], 'VONAGE_SIGNATURE_SECRET', report);
  },
  read: (e): { vonage?: VonageConfig; vonageSignature?: VonageSignature } => ({
    vonageSignature: e.VONAGE_SIGNATURE_SECRET
      ? { secret: e.VONAGE_SIGNATURE_SECRET, method: SIGNATURE_METHODS[e.VONAGE_SIGNATURE_METHOD ?? 'md5hash'] }
      : undefined,
    vonage:
      e.VONAGE_API_KEY && e.VONAGE_API_SECRET && e.VONAGE_FROM
        ? {
            apiKey: e.VONAGE_API_KEY,
            apiSecret: e.VONAGE_API_SECRET,
            from: e.VONAGE_FROM,
            statusCallbackUrl: e.VONAGE_STATUS_CALLBACK_URL,
            baseUrl: e.VONAGE_BASE_URL,
          }
        : undefined,
  }),
});

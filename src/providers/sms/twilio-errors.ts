/**
 * Twilio's refusals, classified in one place. Twilio's own error code says more than the HTTP status (both 21211 and
 * 21610 are HTTP 400), so it is looked at first; the status decides the rest: 5xx and 429 retry, 401/403 need a human,
 * other 4xx are final for this message.
 */
import { ProviderError, SOCKET_ERROR_CODES, type ProviderErrorDetails } from '../types';

const PROVIDER = 'twilio';

/** Codes whose meaning goes beyond "final": what the caller should do about the contact or the account. */
const KNOWN_CODES: Record<number, { retryable: boolean } & ProviderErrorDetails> = {
  21211: { retryable: false, consequence: 'contact_invalid' }, // invalid 'To' number
  21610: { retryable: false, consequence: 'opted_out' }, // the recipient replied STOP: never retry
  21408: { retryable: false, consequence: 'alert' }, // sending to this region is not enabled on the account
  20003: { retryable: false, consequence: 'alert' }, // authentication failed
  20429: { retryable: true }, // too many requests
};

/** Transport failures: the request may not have reached Twilio, or its answer did not reach us. */
const NETWORK_CODES = new Set([...SOCKET_ERROR_CODES, 'ERR_NETWORK']);
/** axios reports its own request timeout as ECONNABORTED; both name the same thing for an operator. */
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED']);

/** The shape shared by the SDK's RestException and TwilioServiceException: HTTP status, Twilio code, message. */
interface TwilioApiError {
  status: number;
  code?: number;
  message?: string;
}

function isApiError(err: unknown): err is TwilioApiError {
  return typeof err === 'object' && err !== null && typeof (err as { status?: unknown }).status === 'number';
}

/**
 * The ProviderError for a failed send, or undefined when `err` is not a provider failure at all (a bug in our code):
 * the caller rethrows that as is, so it is neither hidden as a provider refusal nor recorded as final.
 */
export function classifyTwilioError(err: unknown): ProviderError | undefined {
  if (isApiError(err)) {
    const twilioCode = typeof err.code === 'number' ? err.code : undefined;
    const code = String(twilioCode ?? err.status);
    const message = `Twilio refused the SMS (HTTP ${err.status}, ${code}): ${withoutPhoneNumbers(err.message ?? 'no details')}`;
    const known = twilioCode === undefined ? undefined : KNOWN_CODES[twilioCode];
    const { retryable, ...details } = known ?? byStatus(err.status);
    return new ProviderError(PROVIDER, 'sms', code, message, retryable, details);
  }

  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) {
    const normalized = TIMEOUT_CODES.has(code) ? 'timeout' : code;
    return new ProviderError(PROVIDER, 'sms', normalized, `Twilio did not answer (${code})`, true, {
      unanswered: true,
    });
  }
  return undefined;
}

function byStatus(status: number): { retryable: boolean } & ProviderErrorDetails {
  if (status === 429 || status >= 500) return { retryable: true };
  if (status === 401 || status === 403) return { retryable: false, consequence: 'alert' };
  return { retryable: false };
}

/**
 * Twilio quotes the number back ("The 'To' number +1… is not valid"); the message ends up in the ledger and in
 * Temporal.
 */
function withoutPhoneNumbers(text: string): string {
  return text.replace(/\+?\d[\d ()-]{5,}\d/g, '[number]');
}

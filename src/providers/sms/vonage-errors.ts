/**
 * Vonage's SMS refusals, classified in one place. Vonage answers HTTP 200 even when it refuses: each message in the
 * answer has a `status` ("0" accepted, else the reason). Throttled (1), an internal error (5) and too many binds (10)
 * are worth retrying; an unroutable, barred or deactivated number is final and says the contact is unreachable; our
 * credentials, account or sender being refused needs a human; other codes are final for this message. Transport
 * failures keep node-fetch's socket code, so a refused connection is told apart from a timeout.
 */
import { ProviderError, SOCKET_ERROR_CODES, type ProviderConsequence } from '../types';

const PROVIDER = 'vonage';

const RETRYABLE_STATUSES = new Set(['1', '5', '10']);
const CONTACT_INVALID_STATUSES = new Set(['6', '7', '33']);
/** Credentials, a barred or unfunded account, HTTP not enabled, signature, sender, callback URL, whitelist. */
const ALERT_STATUSES = new Set(['4', '8', '9', '11', '14', '15', '23', '29', '32']);

/** Vonage's 1 (throttled) asks for no particular wait: a second is its documented default rate (30 per second). */
const THROTTLED_WAIT_MS = 1_000;

/** A message's refusal in Vonage's answer (the SDK's MessageSendAllFailure carries the answer). */
interface RefusedMessages {
  response?: { messages?: { status?: string; errorText?: string }[] };
}

export function classifyVonageError(err: unknown): ProviderError | undefined {
  const refused = (err as RefusedMessages | null)?.response?.messages?.find((m) => m.status !== '0');
  if (refused?.status) return fromStatus(refused.status, refused.errorText ?? 'no details');

  const httpStatus = (err as { response?: { status?: unknown } } | null)?.response?.status;
  if (typeof httpStatus === 'number') {
    const retryable = httpStatus >= 500 || httpStatus === 429;
    const consequence: ProviderConsequence | undefined = httpStatus === 401 || httpStatus === 403 ? 'alert' : undefined;
    return new ProviderError(
      PROVIDER,
      'sms',
      String(httpStatus),
      `Vonage refused the SMS (HTTP ${httpStatus})`,
      retryable,
      consequence ? { consequence } : {},
    );
  }

  if ((err as { name?: unknown } | null)?.name === 'AbortError') {
    return new ProviderError(PROVIDER, 'sms', 'timeout', 'Vonage did not answer in time', true, { unanswered: true });
  }
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && SOCKET_ERROR_CODES.includes(code)) {
    return new ProviderError(PROVIDER, 'sms', code, `Vonage did not answer (${code})`, true, { unanswered: true });
  }
  return undefined;
}

function fromStatus(status: string, errorText: string): ProviderError {
  // Vonage's texts may quote the number: keep it out of the ledger and Temporal.
  const message = `Vonage refused the SMS (status ${status}): ${errorText.replace(/\+?\d{7,15}/g, '[number]')}`;
  if (RETRYABLE_STATUSES.has(status)) {
    return new ProviderError(PROVIDER, 'sms', status, message, true, {
      ...(status === '1' ? { retryAfterMs: THROTTLED_WAIT_MS } : {}),
    });
  }
  const consequence: ProviderConsequence | undefined = CONTACT_INVALID_STATUSES.has(status)
    ? 'contact_invalid'
    : ALERT_STATUSES.has(status)
      ? 'alert'
      : undefined;
  return new ProviderError(PROVIDER, 'sms', status, message, false, consequence ? { consequence } : {});
}

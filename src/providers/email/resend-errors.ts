/**
 * Resend's refusals, classified in one place. The SDK does not throw: it returns `{error: {name, statusCode,
 * message}}`. 5xx, 429 and a concurrent request with the same idempotency key are worth retrying; bad credentials or a
 * sender Resend will not send from need a human; every other 4xx is final for this message. A transport failure
 * comes back as `application_error` without a status and without its cause (the SDK swallows it): it counts as no
 * answer, since a refused connection cannot be told apart from a timeout there.
 */
import { ProviderError, type ProviderErrorDetails } from '../types';

const PROVIDER = 'resend';

export interface ResendErrorResponse {
  name: string;
  message: string;
  statusCode: number | null;
}

const ALERT_NAMES = new Set([
  'missing_api_key',
  'invalid_api_key',
  'restricted_api_key',
  'invalid_access',
  'invalid_from_address',
  'invalid_region',
  'security_error',
  'monthly_quota_exceeded',
]);

/** Same bounds as SendGrid's reset: under a second hammers the limit, hours away is more likely a bad header. */
const MIN_RATE_LIMIT_WAIT_MS = 1_000;
const MAX_RATE_LIMIT_WAIT_MS = 60 * 60_000;

export function classifyResendError(error: ResendErrorResponse, headers: Record<string, string> | null): ProviderError {
  const status = error.statusCode;
  const make = (code: string, retryable: boolean, details: ProviderErrorDetails = {}) =>
    new ProviderError(PROVIDER, 'email', code, `Resend refused the email (${describe(error)})`, retryable, details);

  if (status === null) {
    return new ProviderError(PROVIDER, 'email', 'no_answer', 'Resend did not answer', true, { unanswered: true });
  }
  if (status === 429 && error.name === 'rate_limit_exceeded') {
    return make('429', true, { retryAfterMs: retryAfter(headers?.['retry-after']) });
  }
  // The daily quota resets tomorrow: past any window worth waiting for on this provider.
  if (status === 429 && error.name === 'daily_quota_exceeded') return make('429', true);
  if (status === 409 && error.name === 'concurrent_idempotent_requests') return make('409', true);
  if (status >= 500) return make(String(status), true);
  if (ALERT_NAMES.has(error.name) || status === 401 || status === 403) {
    return make(String(status), false, { consequence: 'alert' });
  }
  return make(String(status), false);
}

function retryAfter(header: string | undefined): number | undefined {
  const seconds = Number(header);
  if (header === undefined || header === '' || !Number.isFinite(seconds)) return undefined;
  return Math.min(MAX_RATE_LIMIT_WAIT_MS, Math.max(MIN_RATE_LIMIT_WAIT_MS, seconds * 1000));
}

/** The name and message, without any address Resend may quote (they end up in the ledger and in Temporal). */
function describe(error: ResendErrorResponse): string {
  const text = `${error.statusCode ?? '-'} ${error.name}: ${error.message}`;
  return text.replace(/[^\s<>"'`]*@[^\s<>"'`]+/g, '[email]');
}

/**
 * SendGrid's refusals, classified in one place. The HTTP status carries the meaning (the body is `{errors:[{field,
 * message}]}`): 5xx and 429 are worth retrying — 429 after `X-RateLimit-Reset` —, 401/403 mean our key or sender is
 * wrong (a human must act), and every other 4xx is final for this message.
 */
import { ProviderError, SOCKET_ERROR_CODES, type ProviderErrorDetails } from '../types';

const PROVIDER = 'sendgrid';

/** Transport failures: the request may not have reached SendGrid, or its answer did not reach us. */
const NETWORK_CODES = new Set([...SOCKET_ERROR_CODES, 'ERR_NETWORK']);
/** axios reports its own request timeout as ECONNABORTED; both name the same thing for an operator. */
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED']);

/** Waiting less than a second hammers the limit; a reset far away is more likely a bad header than a real wait. */
const MIN_RATE_LIMIT_WAIT_MS = 1_000;
const MAX_RATE_LIMIT_WAIT_MS = 60 * 60_000;

/** The shape of @sendgrid/helpers' ResponseError (the class itself is not exported at runtime). */
interface SendGridResponseError {
  code: number;
  response?: { headers?: Record<string, unknown>; body?: unknown };
}

function isResponseError(err: unknown): err is SendGridResponseError {
  return (
    typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'number' && 'response' in err
  );
}

/**
 * The ProviderError for a failed send, or undefined when `err` is not a provider failure at all (a bug in our code):
 * the caller rethrows that as is, so it is neither hidden as a provider refusal nor recorded as final.
 */
export function classifySendGridError(err: unknown, now: number = Date.now()): ProviderError | undefined {
  if (isResponseError(err)) return fromHttpStatus(err.code, err.response?.headers ?? {}, err.response?.body, now);

  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) {
    const normalized = TIMEOUT_CODES.has(code) ? 'timeout' : code;
    return new ProviderError(PROVIDER, 'email', normalized, `SendGrid did not answer (${code})`, true, {
      unanswered: true,
    });
  }
  return undefined;
}

function fromHttpStatus(status: number, headers: Record<string, unknown>, body: unknown, now: number): ProviderError {
  const message = `SendGrid refused the email (HTTP ${status}): ${describe(body)}`;
  const error = (retryable: boolean, details: ProviderErrorDetails = {}) =>
    new ProviderError(PROVIDER, 'email', String(status), message, retryable, details);

  if (status === 429) return error(true, { retryAfterMs: waitUntilReset(headers['x-ratelimit-reset'], now) });
  if (status >= 500) return error(true);
  if (status === 401 || status === 403) return error(false, { consequence: 'alert' });
  // 400 bad payload, 413 too large, and any 4xx we do not know: sending the same request again cannot succeed.
  return error(false);
}

/** X-RateLimit-Reset is the Unix time (seconds) at which the limit resets. */
function waitUntilReset(header: unknown, now: number): number | undefined {
  const resetAt = Number(header);
  if (header === undefined || header === null || header === '' || !Number.isFinite(resetAt)) return undefined;
  return Math.min(MAX_RATE_LIMIT_WAIT_MS, Math.max(MIN_RATE_LIMIT_WAIT_MS, resetAt * 1000 - now));
}

/**
 * SendGrid's `errors[]` as one line, without the recipient's address (the message ends up in the ledger and in
 * Temporal).
 */
function describe(body: unknown): string {
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return 'no details';
  return errors
    .map((e: { field?: unknown; message?: unknown }) =>
      [e.field, e.message].filter((part) => typeof part === 'string' && part).join(': '),
    )
    .join('; ')
    .replace(/[^\s<>"'@]+@[^\s<>"'@]+\.[^\s<>"'@]+/g, '[email]');
}

/**
 * When a message that the primary provider did not take may go to the secondary one. The rule is about proof: only a
 * failure that proves the primary did not accept the message fails over. An ambiguous one (the request went out and no
 * answer came) may have been accepted, and sending it elsewhere could deliver it twice (docs/failover.md).
 */

/** A provider's failure as the rule needs it (src/providers/types.ts ProviderError has these fields). */
export interface SendFailure {
  retryable: boolean;
  /** No answer came after the request may have gone out. */
  unanswered: boolean;
  /** The provider's code, or the socket error's code (ECONNREFUSED…). */
  code: string;
  /** How long the provider asked us to wait (a rate limit's window), when it said. */
  retryAfterMs?: number;
}

/**
 * final: a refusal about the message itself (invalid number, unsubscribed): no provider may send it.
 * stay: ask the same provider again later (an ambiguous failure, or a rate-limit window short enough to wait out).
 * fail_over: the primary provably did not accept it: the secondary may send it now.
 */
export type FailoverVerdict = 'final' | 'stay' | 'fail_over';

/**
 * Socket errors raised before any byte of the request left: the connection was never made, so nothing was accepted.
 * (ECONNRESET, EPIPE and timeouts are not here: they can happen after the provider read the request.)
 */
export const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

/** The circuit breaker's code for a provider skipped because its circuit is open. */
export const CIRCUIT_OPEN = 'circuit_open';

export function failoverVerdict(failure: SendFailure, maxRateLimitWaitMs: number): FailoverVerdict {
  if (!failure.retryable) return 'final';
  if (mayHaveBeenAccepted(failure)) return 'stay';
  // A rate limit with a short window is waited out on the primary; a long one (or none said) is "past its window".
  if (failure.retryAfterMs !== undefined && failure.retryAfterMs <= maxRateLimitWaitMs) return 'stay';
  return 'fail_over';
}

/** No answer came, after the request may have reached the provider: the message may be there. */
export function mayHaveBeenAccepted(failure: Pick<SendFailure, 'unanswered' | 'code'>): boolean {
  return failure.unanswered && !NOT_SENT_CODES.has(failure.code);
}

/** Whether the failure counts against the provider's health: a refusal about the message or a rate limit does not. */
export function isProviderFault(failure: SendFailure): boolean {
  return failure.retryable && failure.retryAfterMs === undefined;
}

/**
 * Which failures of the primary provider may send the message through the secondary: only those that prove the
 * primary did not accept it.
 */
import { failoverVerdict, isProviderFault, type SendFailure } from '../../src/domain/failover-rule';

const MAX_WAIT = 5_000;
const verdict = (failure: Partial<SendFailure>) =>
  failoverVerdict({ retryable: true, unanswered: false, code: '500', ...failure }, MAX_WAIT);

describe('the failover rule', () => {
  it('fails over on a 5xx answer: the provider said it did not take the message', () => {
    expect(verdict({ code: '503' })).toBe('fail_over');
  });

  it('fails over when the connection was refused: nothing reached the provider', () => {
    expect(verdict({ code: 'ECONNREFUSED', unanswered: true })).toBe('fail_over');
    expect(verdict({ code: 'ENOTFOUND', unanswered: true })).toBe('fail_over');
  });

  it('does not fail over a timeout or a reset after the request went out: the provider may have it', () => {
    expect(verdict({ code: 'timeout', unanswered: true })).toBe('stay');
    expect(verdict({ code: 'ECONNRESET', unanswered: true })).toBe('stay');
  });

  it('waits out a short rate-limit window on the primary, and fails over past it', () => {
    expect(verdict({ code: '429', retryAfterMs: 2_000 })).toBe('stay');
    expect(verdict({ code: '429', retryAfterMs: 60_000 })).toBe('fail_over');
    expect(verdict({ code: '429' })).toBe('fail_over');
  });

  it('never fails over a final refusal (invalid number, unsubscribed)', () => {
    expect(verdict({ code: '21211', retryable: false })).toBe('final');
    expect(verdict({ code: '21610', retryable: false })).toBe('final');
  });

  it('counts outages against the provider, not refusals of the message or rate limits', () => {
    expect(isProviderFault({ retryable: true, unanswered: false, code: '500' })).toBe(true);
    expect(isProviderFault({ retryable: true, unanswered: true, code: 'timeout' })).toBe(true);
    expect(isProviderFault({ retryable: false, unanswered: false, code: '21211' })).toBe(false);
    expect(isProviderFault({ retryable: true, unanswered: false, code: '429', retryAfterMs: 2_000 })).toBe(false);
  });
});

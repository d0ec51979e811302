/** How long a send is retried, and how far apart its attempts may be. */
import { MAX_RETRY_INTERVAL_MS, retryIntervalCapMs, sendDeadlineMs } from '../../src/domain/send-deadlines';

describe('retryIntervalCapMs', () => {
  it('is five minutes for the windows of real hours (an outage is probed every five minutes)', () => {
    expect(retryIntervalCapMs(sendDeadlineMs('out_for_delivery', {}))).toBe(MAX_RETRY_INTERVAL_MS);
    expect(retryIntervalCapMs(sendDeadlineMs('confirmation', {}))).toBe(MAX_RETRY_INTERVAL_MS);
  });

  it('is a tenth of a short window, so the last attempt comes near its end', () => {
    expect(retryIntervalCapMs(180_000)).toBe(18_000);
    expect(retryIntervalCapMs(sendDeadlineMs('out_for_delivery', { secondsPerRetryHour: 60 }))).toBe(24_000);
  });

  it('is never under a second', () => {
    expect(retryIntervalCapMs(4_000)).toBe(1_000);
  });
});

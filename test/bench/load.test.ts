/** The bench's closed-loop load (bench/load.ts): one stretch, and P1's rounds summed into one result. */
import { loadPart, percentiles, summarizeLoads, type LoadPart } from '../../bench/load';

const part = (latencies: number[], wallMs: number, failures = 0): LoadPart => ({
  n: latencies.length + failures,
  wallMs,
  latencies,
  failures,
});

describe('summarizeLoads (P1 rounds summed)', () => {
  it('takes throughput over the summed wall time, not the mean of the rounds', () => {
    // 100 calls in 1 s, then 100 in 4 s: 200 in 5 s is 40/s (the rounds' mean would say 62.5/s).
    const result = summarizeLoads(16, [part(Array(100).fill(10), 1000), part(Array(100).fill(10), 4000)]);
    expect(result.perSecond).toBe(40);
    expect(result.n).toBe(200);
    expect(result.wallMs).toBe(5000);
  });

  it('takes percentiles over every round’s latencies together', () => {
    const fast = Array.from({ length: 50 }, (_, i) => i + 1); // 1..50
    const slow = Array.from({ length: 50 }, (_, i) => 101 + i); // 101..150
    const result = summarizeLoads(4, [part(fast, 100), part(slow, 100)]);
    expect(result).toMatchObject(percentiles([...fast, ...slow]));
    expect(result.p50Ms).toBe(50);
    expect(result.p99Ms).toBe(149);
  });

  it('counts failures of every round and keeps the first failure’s message', () => {
    const failing: LoadPart = { ...part([5], 10, 2), firstFailure: 'boom' };
    const result = summarizeLoads(2, [part([5, 5], 10), failing]);
    expect(result.failures).toBe(2);
    expect(result.firstFailure).toBe('boom');
    expect(result.perSecond).toBe(150); // 3 successes in 20 ms
  });
});

describe('loadPart', () => {
  it('makes every call once, at most `concurrency` at a time, and keeps each success’s latency', async () => {
    let inFlight = 0;
    let most = 0;
    const seen: number[] = [];
    const result = await loadPart(20, 3, async (i) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight -= 1;
      seen.push(i);
      if (i === 7) throw new Error('call 7 failed');
    });
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(most).toBe(3);
    expect(result.latencies).toHaveLength(19);
    expect(result.failures).toBe(1);
    expect(result.firstFailure).toBe('call 7 failed');
  });
});

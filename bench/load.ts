/** A closed-loop load: N calls, at most `concurrency` in flight; each call's latency is kept. */
export interface LoadResult {
  n: number;
  concurrency: number;
  wallMs: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
  firstFailure?: string;
}

export async function closedLoop(
  n: number,
  concurrency: number,
  call: (i: number) => Promise<void>,
): Promise<LoadResult> {
  return summarizeLoads(concurrency, [await loadPart(n, concurrency, call)]);
}

/** One closed-loop stretch, latencies kept raw, so that stretches of the same load can be summed (summarizeLoads). */
export interface LoadPart {
  n: number;
  wallMs: number;
  latencies: number[];
  failures: number;
  firstFailure?: string;
}

export async function loadPart(n: number, concurrency: number, call: (i: number) => Promise<void>): Promise<LoadPart> {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const t0 = performance.now();
  const lane = async () => {
    for (let i = next++; i < n; i = next++) {
      const start = performance.now();
      try {
        await call(i);
        latencies.push(performance.now() - start);
      } catch (err) {
        failures += 1;
        firstFailure ??= (err as Error).message.slice(0, 200);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
  return { n, wallMs: performance.now() - t0, latencies, failures, ...(firstFailure ? { firstFailure } : {}) };
}

/** Stretches of one load as one: throughput over their summed wall time, percentiles over all their latencies. */
export function summarizeLoads(concurrency: number, parts: LoadPart[]): LoadResult {
  const wallMs = parts.reduce((sum, p) => sum + p.wallMs, 0);
  const latencies = parts.flatMap((p) => p.latencies);
  const firstFailure = parts.find((p) => p.firstFailure)?.firstFailure;
  return {
    n: parts.reduce((sum, p) => sum + p.n, 0),
    concurrency,
    wallMs: round(wallMs),
    perSecond: round((latencies.length * 1000) / wallMs),
    ...percentiles(latencies),
    failures: parts.reduce((sum, p) => sum + p.failures, 0),
    ...(firstFailure ? { firstFailure } : {}),
  };
}

export function percentiles(values: number[]): { p50Ms: number; p99Ms: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : NaN;
  return { p50Ms: round(at(0.5)), p99Ms: round(at(0.99)) };
}

export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** a / b, rounded to two decimals. */
export function ratio(a: number, b: number): number {
  return Math.round((a / b) * 100) / 100;
}

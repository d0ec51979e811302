/**
 * P1 — starting journeys: N orders through POST /v1/orders vs a bare client.workflow.start of a trivial workflow with
 * the same payload size, on the same server, at each concurrency. No worker runs during P1 (the API's worker is
 * stopped, and nothing polls the bare queue): both sides measure the start path only, not the journeys' work.
 */
import { CHAOS_KEYS } from '../chaos/stack';
import { demoPolicy } from '../src/domain/policy';
import { closedLoop, ratio, type LoadResult } from './load';
import { BenchHttp } from './http';
import { cpuDelta, cpuSnapshot } from './meter';
import { benchOrder, runTag } from './orders';
import type { BenchStack } from './stack';

export interface P1Options {
  n: number;
  concurrencies: number[];
  warmup: number;
  /** Extra environment of the API and the worker (e.g. the CPU profiler's preload). */
  env?: NodeJS.ProcessEnv;
}

export interface P1Side extends LoadResult {
  /** CPU ms per start, by process. */
  cpuMsPerStart: Record<string, number>;
}

export interface P1Result {
  payloadBytes: number;
  runs: { concurrency: number; bare: P1Side; api: P1Side; throughputRatio: number; p50Ratio: number; p99Ratio: number }[];
}

export async function benchStart(b: BenchStack, o: P1Options, say: (m: string) => void): Promise<P1Result> {
  await b.startServices('p1', o.env ?? {});
  await b.stack.worker.kill('SIGTERM'); // starts only: no worker takes the journeys
  const http = new BenchHttp(b.stack.apiUrl, CHAOS_KEYS);
  const tag = runTag();
  // The bare side's argument: a string as long as the journey's input ({ order, policy }) in JSON.
  // Orders carry a phone, as checkout's usually do (email is still their only channel).
  const order = (orderId: string, i: number) => benchOrder(orderId, { phone: `+3712${String(10_000_000 + i).slice(1)}` });
  const payload = 'x'.repeat(JSON.stringify({ order: order(`p1${tag}-sample`, 0), policy: demoPolicy }).length);
  const bareStart = (id: string) => b.bare.workflow.start('benchTrivial', { workflowId: id, taskQueue: 'bench-p1-bare', args: [payload] }).then(() => undefined);
  const apiStart = (orderId: string, i: number) => http.call('POST', '/v1/orders', order(orderId, i), [201]).then(() => undefined);

  say(`P1: warm-up (${o.warmup} starts each)`);
  for (const warm of [await closedLoop(o.warmup, 16, (i) => bareStart(`bare-${tag}-w-${i}`)), await closedLoop(o.warmup, 16, (i) => apiStart(`p1${tag}-w-${i}`, i))]) {
    const died = b.stack.temporal.unexpectedExits;
    if (warm.failures) throw new Error(`P1 warm-up: ${warm.failures} of ${warm.n} starts failed (${warm.firstFailure})${died.length ? `; Temporal exited: ${died.join('; ')}` : ''}`);
  }

  const measure = async (side: 'bare' | 'api', c: number): Promise<P1Side> => {
    const before = cpuSnapshot(b.pids());
    const result = await closedLoop(o.n, c, (i) => (side === 'bare' ? bareStart(`bare-${tag}-c${c}-${i}`) : apiStart(`p1${tag}-c${c}-${i}`, i)));
    const cpu = cpuDelta(before, cpuSnapshot(b.pids()));
    const cpuMsPerStart = Object.fromEntries(Object.entries(cpu).filter(([k]) => k !== 'baselineWorker').map(([k, ms]) => [k, Math.round((ms / o.n) * 100) / 100]));
    say(`  ${side} c${c}: ${result.perSecond}/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, failures ${result.failures} · CPU ms/start ${JSON.stringify(cpuMsPerStart)}`);
    return { ...result, cpuMsPerStart };
  };
  const runs: P1Result['runs'] = [];
  for (const [k, c] of o.concurrencies.entries()) {
    say(`P1: ${o.n} starts at concurrency ${c}`);
    // Alternate which side goes first, so that drift (the server's database growing) does not favour one side.
    const first = k % 2 === 0 ? 'bare' : 'api';
    const a = await measure(first, c);
    const z = await measure(first === 'bare' ? 'api' : 'bare', c);
    const [bare, api] = first === 'bare' ? [a, z] : [z, a];
    runs.push({ concurrency: c, bare, api, throughputRatio: ratio(api.perSecond, bare.perSecond), p50Ratio: ratio(api.p50Ms, bare.p50Ms), p99Ratio: ratio(api.p99Ms, bare.p99Ms) });
  }
  http.close();
  return { payloadBytes: payload.length, runs };
}

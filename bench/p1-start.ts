/**
 * P1 — starting journeys: N orders through POST /v1/orders vs a bare client.workflow.start of a trivial workflow with
 * the same payload size, on the same server, at each concurrency. No worker runs during P1 (the API's worker is
 * stopped, and nothing polls the bare queue): both sides measure the start path only, not the journeys' work.
 */
import { CHAOS_KEYS } from '../chaos/stack';
import type { JourneyRecords } from '../src/journeys/journey-service';
import { JourneyService } from '../src/journeys/journey-service';
import { orderSchema } from '../src/domain/order';
import { demoPolicy } from '../src/domain/policy';
import { closedLoop, ratio, type LoadResult } from './load';
import { BenchHttp } from './http';
import { cpuDelta, cpuSnapshot } from './meter';
import { benchOrder, runTag } from './orders';
import { pinForP1 } from './pin';
import type { BenchStack } from './stack';
import { TASK_QUEUE as TASK_QUEUE_PREFIX } from '../chaos/stack';

export interface P1Options {
  n: number;
  concurrencies: number[];
  warmup: number;
  /** Extra environment of the API and the worker (e.g. the CPU profiler's preload). */
  env?: NodeJS.ProcessEnv;
  /** Temporal on one core, the API and the load on the other (bench/pin.ts). */
  pin?: boolean;
}

export interface P1Side extends LoadResult {
  /** CPU ms per start, by process. */
  cpuMsPerStart: Record<string, number>;
}

export interface P1Result {
  /** Run with `--pin`: the server on a core of its own (bench/pin.ts). */
  pinned?: boolean;
  payloadBytes: number;
  /**
   * bare: a trivial start of the same payload size; inProcess: JourneyService.start called in this process (the
   * journey's real start options: encrypted input, memo, search attributes, summary) without HTTP; api: the route.
   * api/inProcess is the HTTP API's own cost (HTTP, express, validation, logging); inProcess/bare is what the start
   * options cost, most of it on the Temporal server.
   */
  runs: {
    concurrency: number;
    bare: P1Side;
    inProcess: P1Side;
    api: P1Side;
    throughputRatio: number;
    p50Ratio: number;
    p99Ratio: number;
    apiVsInProcess: { throughput: number; p99: number };
    inProcessVsBare: { throughput: number; p99: number };
  }[];
}

export async function benchStart(b: BenchStack, o: P1Options, say: (m: string) => void): Promise<P1Result> {
  await b.startServices('p1', o.env ?? {});
  await b.stack.worker.kill('SIGTERM'); // starts only: no worker takes the journeys
  const unpin = o.pin ? pinForP1(b.pids()) : undefined;
  if (unpin) say('P1: pinned: the Temporal server on CPU 0, the API and the load on CPU 1');
  try {
    return await measureStarts(b, o, say);
  } finally {
    unpin?.();
  }
}

async function measureStarts(b: BenchStack, o: P1Options, say: (m: string) => void): Promise<P1Result> {
  const http = new BenchHttp(b.stack.apiUrl, CHAOS_KEYS);
  const tag = runTag();
  // The bare side's argument: a string as long as the journey's input ({ order, policy }) in JSON.
  // Orders carry a phone, as checkout's usually do (email is still their only channel).
  const order = (orderId: string, i: number) =>
    benchOrder(orderId, { phone: `+3712${String(10_000_000 + i).slice(1)}` });
  const payload = 'x'.repeat(JSON.stringify({ order: order(`p1${tag}-sample`, 0), policy: demoPolicy }).length);
  const bareStart = (id: string) =>
    b.bare.workflow
      .start('benchTrivial', { workflowId: id, taskQueue: 'bench-p1-bare', args: [payload] })
      .then(() => undefined);
  const apiStart = (orderId: string, i: number) =>
    http.call('POST', '/v1/orders', order(orderId, i), [201]).then(() => undefined);
  // The service's own start code, in this process, on the API's task queue (records are not used by start()).
  const service = new JourneyService(
    await b.stack.client(),
    `${TASK_QUEUE_PREFIX}-p1`,
    demoPolicy,
    {} as JourneyRecords,
  );
  const parsed = (orderId: string, i: number) => orderSchema.parse(order(orderId, i));
  const inProcessStart = (orderId: string, i: number) => service.start(parsed(orderId, i)).then(() => undefined);

  say(`P1: warm-up (${o.warmup} starts each)`);
  for (const warm of [
    await closedLoop(o.warmup, 16, (i) => bareStart(`bare-${tag}-w-${i}`)),
    await closedLoop(o.warmup, 16, (i) => apiStart(`p1${tag}-w-${i}`, i)),
  ]) {
    const died = b.stack.temporal.unexpectedExits;
    if (warm.failures)
      throw new Error(
        `P1 warm-up: ${warm.failures} of ${warm.n} starts failed (${warm.firstFailure})${died.length ? `; Temporal exited: ${died.join('; ')}` : ''}`,
      );
  }

  const starts = {
    bare: (i: number, c: number) => bareStart(`bare-${tag}-c${c}-${i}`),
    inProcess: (i: number, c: number) => inProcessStart(`p1${tag}-in-c${c}-${i}`, i),
    api: (i: number, c: number) => apiStart(`p1${tag}-c${c}-${i}`, i),
  };
  const measure = async (side: keyof typeof starts, c: number): Promise<P1Side> => {
    const before = cpuSnapshot(b.pids());
    // The in-process side is a diagnostic (it splits the gap): half the starts keep the bench within its budget.
    const n = side === 'inProcess' ? Math.ceil(o.n / 2) : o.n;
    const result = await closedLoop(n, c, (i) => starts[side](i, c));
    const cpu = cpuDelta(before, cpuSnapshot(b.pids()));
    const cpuMsPerStart = Object.fromEntries(
      Object.entries(cpu)
        .filter(([k]) => k !== 'baselineWorker')
        .map(([k, ms]) => [k, Math.round((ms / n) * 100) / 100]),
    );
    say(
      `  ${side} c${c}: ${result.perSecond}/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, failures ${result.failures} · CPU ms/start ${JSON.stringify(cpuMsPerStart)}`,
    );
    return { ...result, cpuMsPerStart };
  };
  const runs: P1Result['runs'] = [];
  for (const [k, c] of o.concurrencies.entries()) {
    say(`P1: ${o.n} starts at concurrency ${c}`);
    // Alternate the order of the sides, so that drift (the server's database growing) favours none of them.
    const order: (keyof typeof starts)[] = k % 2 === 0 ? ['bare', 'inProcess', 'api'] : ['api', 'inProcess', 'bare'];
    const sides = {} as Record<keyof typeof starts, P1Side>;
    for (const side of order) sides[side] = await measure(side, c);
    const { bare, inProcess, api } = sides;
    runs.push({
      concurrency: c,
      bare,
      inProcess,
      api,
      throughputRatio: ratio(api.perSecond, bare.perSecond),
      p50Ratio: ratio(api.p50Ms, bare.p50Ms),
      p99Ratio: ratio(api.p99Ms, bare.p99Ms),
      apiVsInProcess: { throughput: ratio(api.perSecond, inProcess.perSecond), p99: ratio(api.p99Ms, inProcess.p99Ms) },
      inProcessVsBare: {
        throughput: ratio(inProcess.perSecond, bare.perSecond),
        p99: ratio(inProcess.p99Ms, bare.p99Ms),
      },
    });
  }
  http.close();
  return { payloadBytes: payload.length, ...(o.pin ? { pinned: true } : {}), runs };
}

/**
 * P1 — starting journeys: N orders through POST /v1/orders vs a bare client.workflow.start of a trivial workflow with
 * the same payload size, on the same server, at each concurrency. No worker runs during P1 (the API's worker is
 * stopped, and nothing polls the bare queue): both sides measure the start path only, not the journeys' work. Two
 * diagnostic sides split the gap: the journey's start called in this process (no HTTP), and the floor of any HTTP
 * API, a bare node:http server in front of the bare start (bench/baseline/http-server.ts).
 */
import path from 'node:path';
import { REPO_ROOT, ServiceProcess } from '../chaos/processes';
import { NAMESPACE } from '../chaos/temporal-server';
import { freePort } from '../scripts/ports';
import { CHAOS_KEYS } from '../chaos/stack';
import type { JourneyRecords } from '../src/journeys/journey-service';
import { JourneyService } from '../src/journeys/journey-service';
import { orderSchema } from '../src/domain/order';
import { demoPolicy } from '../src/domain/policy';
import { closedLoop, loadPart, ratio, summarizeLoads, type LoadPart, type LoadResult } from './load';
import { BenchHttp } from './http';
import { cpuDelta, cpuSnapshot } from './meter';
import { benchOrder, runTag } from './orders';
import { pinForP1 } from './pin';
import type { BenchStack } from './stack';
import type { GroupPerRequest } from './profile';
import { TASK_QUEUE as TASK_QUEUE_PREFIX } from '../chaos/stack';

export interface P1Options {
  n: number;
  concurrencies: number[];
  warmup: number;
  /** The sides take turns in this many stretches each (see measureRounds). */
  rounds: number;
  /** Extra environment of the API and the worker (e.g. the CPU profiler's preload). */
  env?: NodeJS.ProcessEnv;
  /** Temporal on one core, the API and the load on the other (bench/pin.ts). */
  pin?: boolean;
  /** How the bare HTTP server is stopped at the end (to keep its CPU profile); by default it is just stopped. */
  stopFloor?: (server: ServiceProcess) => Promise<unknown>;
}

export interface P1Side extends LoadResult {
  /** CPU ms per start, by process. */
  cpuMsPerStart: Record<string, number>;
}

export interface P1Result {
  /** Run with `--pin`: the server on a core of its own (bench/pin.ts). */
  pinned?: boolean;
  payloadBytes: number;
  /** How many turns the sides took (absent in results before rounds: each side ran in one block). */
  rounds?: number;
  /** With --profile: the API's and the bare HTTP server's CPU per request by what it does (bench/profile.ts). */
  profileByGroup?: { apiRequests: number; floorRequests: number; rows: GroupPerRequest[] };
  /**
   * bare: a trivial start of the same payload size; inProcess: JourneyService.start called in this process (the
   * journey's real start options: encrypted input, memo, search attributes, summary) without HTTP; api: the route.
   * api/inProcess is the HTTP API's own cost (HTTP, express, validation, logging); inProcess/bare is what the start
   * options cost, most of it on the Temporal server. bareHttp: the bare start behind a minimal node:http server, the
   * least any HTTP API costs; api/bareHttp is what ours adds beyond that (absent in results before it existed).
   */
  runs: {
    concurrency: number;
    /** API vs bare throughput in each round: the spread the combined ratio comes from. */
    roundRatios?: number[];
    bare: P1Side;
    inProcess: P1Side;
    api: P1Side;
    bareHttp?: P1Side;
    apiVsBareHttp?: { throughput: number; p99: number };
    bareHttpVsBare?: { throughput: number; p99: number };
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
  // The bare side's argument: a string as long as the journey's input ({ order, policy }) in JSON.
  const payload = 'x'.repeat(JSON.stringify({ order: order('p1-sample', 0), policy: demoPolicy }).length);
  const floor = await startBareHttpServer(b, payload.length, o.env ?? {});
  const pids = () => ({ ...b.pids(), bareHttp: floor.server.pid });
  const unpin = o.pin ? pinForP1(pids()) : undefined;
  if (unpin) say('P1: pinned: the Temporal server on CPU 0, the API, the bare HTTP server and the load on CPU 1');
  try {
    return await measureStarts(b, o, say, { payload, pids, floorUrl: floor.url });
  } finally {
    unpin?.();
    await (o.stopFloor ?? ((server) => server.stop()))(floor.server);
  }
}

/** Orders carry a phone, as checkout's usually do (email is still their only channel). */
const order = (orderId: string, i: number) => benchOrder(orderId, { phone: `+3712${String(10_000_000 + i).slice(1)}` });

async function startBareHttpServer(b: BenchStack, payloadBytes: number, extraEnv: NodeJS.ProcessEnv) {
  const port = await freePort();
  const server = new ServiceProcess({
    name: 'bare-http',
    cwd: REPO_ROOT,
    script: 'bench/baseline/http-server.ts',
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      BENCH_TEMPORAL_ADDRESS: b.stack.temporal.address,
      BENCH_NAMESPACE: NAMESPACE,
      BENCH_TASK_QUEUE: BARE_TASK_QUEUE,
      BENCH_PORT: String(port),
      BENCH_PAYLOAD_BYTES: String(payloadBytes),
      ...extraEnv,
    },
    logFile: path.join(b.stack.dir, 'bare-http.log'),
    readyLine: 'bench http server started',
  });
  await server.start();
  return { server, url: `http://127.0.0.1:${port}` };
}

const BARE_TASK_QUEUE = 'bench-p1-bare';

async function measureStarts(
  b: BenchStack,
  o: P1Options,
  say: (m: string) => void,
  { payload, pids, floorUrl }: { payload: string; pids: () => Record<string, number | undefined>; floorUrl: string },
): Promise<P1Result> {
  const http = new BenchHttp(b.stack.apiUrl, CHAOS_KEYS);
  const floorHttp = new BenchHttp(floorUrl, CHAOS_KEYS);
  const tag = runTag();
  const bareStart = (id: string) =>
    b.bare.workflow
      .start('benchTrivial', { workflowId: id, taskQueue: BARE_TASK_QUEUE, args: [payload] })
      .then(() => undefined);
  const apiStart = (orderId: string, i: number) =>
    http.call('POST', '/v1/orders', order(orderId, i), [201]).then(() => undefined);
  const bareHttpStart = (orderId: string, i: number) =>
    floorHttp.call('POST', '/v1/orders', order(orderId, i), [201]).then(() => undefined);
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
    await closedLoop(o.warmup, 16, (i) => bareHttpStart(`p1${tag}-w-${i}`, i)),
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
    bareHttp: (i: number, c: number) => bareHttpStart(`p1${tag}-c${c}-${i}`, i),
  };
  type Side = keyof typeof starts;
  // Each side's starts come in `rounds` stretches, the sides taking turns (forward, then backward), so that the
  // machine's drift over a run (other tenants, the server's database growing) falls on every side alike; a side run
  // in one block would take a whole slow minute alone.
  const perRound = (side: Side) => {
    // The in-process and floor sides are diagnostics (they split the gap): half the starts keep the bench in budget.
    const n = side === 'inProcess' || side === 'bareHttp' ? Math.ceil(o.n / 2) : o.n;
    return Math.max(1, Math.ceil(n / o.rounds));
  };
  const measureRounds = async (c: number) => {
    const parts = { bare: [], inProcess: [], api: [], bareHttp: [] } as Record<Side, LoadPart[]>;
    const cpu = { bare: {}, inProcess: {}, api: {}, bareHttp: {} } as Record<Side, Record<string, number>>;
    for (let round = 0; round < o.rounds; round++) {
      const turns: Side[] = ['bare', 'inProcess', 'bareHttp', 'api'];
      for (const side of round % 2 === 0 ? turns : turns.reverse()) {
        const before = cpuSnapshot(pids());
        const offset = round * perRound(side);
        parts[side].push(await loadPart(perRound(side), c, (i) => starts[side](offset + i, c)));
        for (const [k, ms] of Object.entries(cpuDelta(before, cpuSnapshot(pids()))))
          cpu[side][k] = (cpu[side][k] ?? 0) + ms;
      }
    }
    const sides = {} as Record<Side, P1Side>;
    for (const side of Object.keys(parts) as Side[]) {
      const result = summarizeLoads(c, parts[side]);
      const cpuMsPerStart = Object.fromEntries(
        Object.entries(cpu[side])
          .filter(([k]) => k !== 'baselineWorker')
          .map(([k, ms]) => [k, Math.round((ms / result.n) * 100) / 100]),
      );
      say(
        `  ${side} c${c}: ${result.perSecond}/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, failures ${result.failures} · CPU ms/start ${JSON.stringify(cpuMsPerStart)}`,
      );
      sides[side] = { ...result, cpuMsPerStart };
    }
    const throughputOf = (p: LoadPart) => p.latencies.length / p.wallMs;
    const roundRatios = parts.api.map((p, r) => ratio(throughputOf(p), throughputOf(parts.bare[r]!)));
    say(`  API vs bare by round, c${c}: ${roundRatios.map((x) => `${x}×`).join(' · ')}`);
    return { sides, roundRatios };
  };
  const runs: P1Result['runs'] = [];
  for (const c of o.concurrencies) {
    say(`P1: ${o.n} starts at concurrency ${c}, in ${o.rounds} rounds`);
    const { sides, roundRatios } = await measureRounds(c);
    const { bare, inProcess, api, bareHttp } = sides;
    runs.push({
      concurrency: c,
      roundRatios,
      bare,
      inProcess,
      api,
      bareHttp,
      apiVsBareHttp: { throughput: ratio(api.perSecond, bareHttp.perSecond), p99: ratio(api.p99Ms, bareHttp.p99Ms) },
      bareHttpVsBare: { throughput: ratio(bareHttp.perSecond, bare.perSecond), p99: ratio(bareHttp.p99Ms, bare.p99Ms) },
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
  floorHttp.close();
  return { payloadBytes: payload.length, rounds: o.rounds, ...(o.pin ? { pinned: true } : {}), runs };
}

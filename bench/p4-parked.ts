/**
 * P4 — parked journeys: K journeys under the production policy, asleep after their confirmation (the next thing due is
 * days away), vs K bare workflows asleep on a 30-day timer after one activity. Worker RSS before and after, worker and
 * server CPU over an idle window, and storage: the dev server's database file growth and the encoded history of a
 * sample. K is below 10,000 by default (starting 10,000 here takes longer than the bench's budget): per-journey figures
 * are measured at K and extrapolated, and the result says so.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startProviderStub } from '../chaos/provider-stubs';
import { CHAOS_KEYS } from '../chaos/stack';
import { countHistory } from './actions';
import { BenchHttp } from './http';
import { closedLoop, round } from './load';
import { cpuDelta, cpuSnapshot, rssMb, threadCpuMs } from './meter';
import { waitForSends } from './observe';
import { benchOrder, runTag } from './orders';
import { LATE_REPLENISHMENT_DAYS } from './p3-history';
import { BASELINE_TASK_QUEUE, type BenchStack } from './stack';

/** A wait for first activities gives up once none has come for this long (a draining backlog keeps it waiting)… */
const STALL_MS = 120_000;
/** …or after this long in all. */
const MAX_WAIT_MS = 45 * 60_000;

export interface P4Options {
  parked: number;
  idleSeconds: number;
  /** Workflows each worker keeps in memory: the journey worker's configured cache, the bare one's SDK default. */
  cacheSize: { journey: number; baseline: number };
}

interface P4Side {
  rssBeforeMb: number;
  /** With half the workflows parked: once more are parked than the cache holds, RSS stays flat from here on. */
  rssHalfwayMb: number;
  rssAfterMb: number;
  rssPerParkedKb: number;
  /** RSS growth per workflow kept in the cache: (after − before) / min(parked, cache). */
  rssPerCachedKb: number;
  idleCpuPercentOfCore: number;
  /** Where the worker's idle CPU went: % of a core per thread name (main JS thread, SDK core threads, …). */
  idleCpuByThread: Record<string, number>;
  temporalIdleCpuPercentOfCore: number;
  historyBytesPerWorkflow: number;
  dbBytesPerWorkflow: number;
  /** From the first start until every workflow had run its first activity (or the wait gave up). */
  startSeconds: number;
  /** Workflows that never ran their first activity: not parked, so the idle figures do not describe a parked fleet. */
  notParked: number;
  /** Seconds the worker took after that to fall idle (its CPU under 3 % of a core for 5 s). */
  settleSeconds: number;
}

export interface P4Result {
  parked: number;
  idleSeconds: number;
  journey: P4Side;
  baseline: P4Side;
  rssPerParkedRatio: number;
  rssPerCachedRatio: number;
  cacheSize: { journey: number; baseline: number };
  /** The journey worker's allocator (bench/allocator.ts); the bare worker runs on glibc's malloc. Absent: glibc. */
  allocator?: 'jemalloc' | 'glibc';
  /** The journey worker's RSS with 10,000 parked: measured when `parked` is 10,000, else from the cache's bound. */
  at10k: { workerRssMb: number; measured: boolean; note: string };
}

export async function benchParked(b: BenchStack, o: P4Options, say: (m: string) => void): Promise<P4Result> {
  const tag = runTag();
  const client = await b.stack.client();
  const dbBytes = () => ['temporal.db', 'temporal.db-wal'].reduce((a, f) => a + fileSize(path.join(b.stack.dir, f)), 0);

  say(`P4: ${o.parked} journeys under the production policy, parked after their confirmation`);
  const workerPid = b.stack.worker.pid!;
  await sleep(5_000); // the fresh worker settles
  const journeyIds = Array.from({ length: o.parked }, (_, i) => `p4${tag}-${i}`);
  const t0 = Date.now();
  const journey = await park(b, {
    count: o.parked,
    pid: workerPid,
    cpuKey: 'worker',
    cacheSize: o.cacheSize.journey,
    dbBytes,
    idleSeconds: o.idleSeconds,
    start: async (from, to) => {
      const http = new BenchHttp(b.stack.apiUrl, CHAOS_KEYS);
      await closedLoop(to - from, 16, (i) =>
        http
          .call(
            'POST',
            '/v1/orders',
            benchOrder(journeyIds[from + i]!, { replenishmentIntervalDays: LATE_REPLENISHMENT_DAYS }),
            [201],
          )
          .then(() => undefined),
      );
      http.close();
      const short = await waitForSends(
        b.stack.sendgrid,
        journeyIds.slice(from, to).map((id) => `order-${id}`),
        1,
        STALL_MS,
        MAX_WAIT_MS,
      );
      if (short)
        say(
          `  ${short} confirmations missing (none came for ${STALL_MS / 1000} s, or ${MAX_WAIT_MS / 60_000} min passed)`,
        );
      say(
        `  ${to} journeys started, ${to - from - short} of the last ${to - from} confirmed (${round((Date.now() - t0) / 1000)} s)`,
      );
      return short;
    },
    historyBytes: async () =>
      sampleHistoryBytes(
        client,
        journeyIds.slice(0, 20).map((id) => `order-${id}`),
      ),
  });
  say(`  journeys: worker idle CPU by thread (% of a core): ${JSON.stringify(journey.idleCpuByThread)}`);
  say(
    `  journeys: worker RSS ${journey.rssBeforeMb} → ${journey.rssHalfwayMb} (halfway) → ${journey.rssAfterMb} MB (${journey.rssPerCachedKb} KB per cached journey, cache ${o.cacheSize.journey}), idle CPU ${journey.idleCpuPercentOfCore} % of a core`,
  );

  const stub = await startProviderStub('sendgrid');
  let baseline: P4Side;
  try {
    const ids = Array.from({ length: o.parked }, (_, i) => `parked-p4${tag}-${i}`);
    baseline = await park(b, {
      count: o.parked,
      pid: b.baselineWorker.pid!,
      cpuKey: 'baselineWorker',
      cacheSize: o.cacheSize.baseline,
      dbBytes,
      idleSeconds: o.idleSeconds,
      start: async (from, to) => {
        await closedLoop(to - from, 16, (i) =>
          b.bare.workflow
            .start('benchParked', {
              workflowId: ids[from + i]!,
              taskQueue: BASELINE_TASK_QUEUE,
              args: [`${stub.url}/v3/mail/send`, ids[from + i]!],
            })
            .then(() => undefined),
        );
        const short = await waitForSends(stub, ids.slice(from, to), 1, STALL_MS, MAX_WAIT_MS);
        if (short) say(`  ${short} baseline workflows did not run their activity`);
        return short;
      },
      historyBytes: async () => sampleHistoryBytes(b.bare, ids.slice(0, 20)),
    });
  } finally {
    await stub.stop();
  }
  say(
    `  baseline: worker RSS ${baseline.rssBeforeMb} → ${baseline.rssHalfwayMb} (halfway) → ${baseline.rssAfterMb} MB (${baseline.rssPerCachedKb} KB per cached workflow, cache ${o.cacheSize.baseline}), idle CPU ${baseline.idleCpuPercentOfCore} % of a core`,
  );

  // Only a fleet that is really parked is measured: with confirmations missing, the worker was still busy.
  const measured = o.parked >= 10_000 && journey.notParked === 0;
  const cached = Math.min(10_000, o.cacheSize.journey);
  const bound = Math.round(journey.rssBeforeMb + (cached * journey.rssPerCachedKb) / 1024);
  return {
    parked: o.parked,
    idleSeconds: o.idleSeconds,
    journey,
    baseline,
    rssPerParkedRatio: round(journey.rssPerParkedKb / baseline.rssPerParkedKb, 2),
    rssPerCachedRatio: round(journey.rssPerCachedKb / baseline.rssPerCachedKb, 2),
    cacheSize: o.cacheSize,
    allocator: b.allocator,
    at10k: measured
      ? { workerRssMb: journey.rssAfterMb, measured, note: `measured with ${o.parked} parked` }
      : {
          workerRssMb: bound,
          measured,
          note:
            (journey.notParked
              ? `NOT MEASURED: ${journey.notParked} of ${o.parked} journeys never confirmed, so the fleet was not parked. `
              : '') +
            `ESTIMATED, not measured at 10,000: RSS before + min(10,000, cache ${o.cacheSize.journey}) × ${journey.rssPerCachedKb} KB ` +
            `per cached journey (measured at ${o.parked}; RSS ${journey.rssHalfwayMb} MB halfway, ${journey.rssAfterMb} MB at the end). ` +
            `A worker keeps at most its cache's count of journeys in memory; the rest are evicted and replayed from ` +
            `history when their timer fires. The bound runs low: what the heaps keep after the burst of confirmations ` +
            `adds to it on glibc's malloc (measured at 10,000: 510 MB right after, 356 MB settled; on jemalloc, as the image ` +
            `runs the worker, 203.5 MB; docs/capacity.md). ` +
            `Measure it: npm run bench -- --only p4 --parked 10000`,
        },
  };
}

async function park(
  b: BenchStack,
  o: {
    count: number;
    pid: number;
    cpuKey: string;
    cacheSize: number;
    dbBytes: () => number;
    idleSeconds: number;
    /** Starts workflows [from, to); resolves once each has run its first activity, with how many never did. */
    start: (from: number, to: number) => Promise<number>;
    historyBytes: () => Promise<number>;
  },
): Promise<P4Side> {
  const rssBeforeMb = rssMb(o.pid) ?? NaN;
  const db0 = o.dbBytes();
  const t0 = Date.now();
  const half = Math.floor(o.count / 2);
  let notParked = await o.start(0, half);
  const rssHalfwayMb = rssMb(o.pid) ?? NaN;
  notParked += await o.start(half, o.count);
  const startSeconds = round((Date.now() - t0) / 1000);
  const settleSeconds = await settle(b, o.cpuKey); // the last workflow tasks complete; then nothing is due for days
  const before = cpuSnapshot(b.pids());
  const threadsBefore = threadCpuMs(o.pid);
  await sleep(o.idleSeconds * 1000);
  const cpu = cpuDelta(before, cpuSnapshot(b.pids()));
  const threadsAfter = threadCpuMs(o.pid);
  const rssAfterMb = rssMb(o.pid) ?? NaN;
  const percentOfCore = (ms: number | undefined) => round(((ms ?? NaN) / (o.idleSeconds * 1000)) * 100, 2);
  return {
    rssBeforeMb: round(rssBeforeMb),
    rssHalfwayMb: round(rssHalfwayMb),
    rssAfterMb: round(rssAfterMb),
    rssPerParkedKb: round(((rssAfterMb - rssBeforeMb) * 1024) / o.count),
    rssPerCachedKb: round(((rssAfterMb - rssBeforeMb) * 1024) / Math.min(o.count, o.cacheSize)),
    idleCpuPercentOfCore: percentOfCore(cpu[o.cpuKey]),
    idleCpuByThread: Object.fromEntries(
      Object.entries(threadsAfter)
        .map(([name, ms]) => [name, percentOfCore(ms - (threadsBefore[name] ?? 0))] as const)
        .filter(([, pct]) => pct >= 0.1)
        .sort((a, z) => z[1] - a[1]),
    ),
    temporalIdleCpuPercentOfCore: percentOfCore(cpu.temporal),
    historyBytesPerWorkflow: await o.historyBytes(),
    dbBytesPerWorkflow: Math.round((o.dbBytes() - db0) / o.count),
    startSeconds,
    notParked,
    settleSeconds,
  };
}

/** Waits (10 s to 5 min) until the worker uses under 3 % of a core for 5 s; answers the seconds it took. */
async function settle(b: BenchStack, cpuKey: string): Promise<number> {
  const t0 = Date.now();
  await sleep(10_000);
  while (Date.now() - t0 < 300_000) {
    const before = cpuSnapshot(b.pids());
    await sleep(5_000);
    if ((cpuDelta(before, cpuSnapshot(b.pids()))[cpuKey] ?? 0) < 150) break;
  }
  return round((Date.now() - t0) / 1000);
}

async function sampleHistoryBytes(
  client: Awaited<ReturnType<BenchStack['stack']['client']>>,
  workflowIds: string[],
): Promise<number> {
  let total = 0;
  for (const id of workflowIds) total += countHistory(await client.workflow.getHandle(id).fetchHistory()).bytes;
  return Math.round(total / workflowIds.length);
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

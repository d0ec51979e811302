/**
 * P2 — whole journeys: N happy-path journeys through the API (demo policy: order, shipment, three carrier events, then
 * unboxing tips, review request and reminder, replenishment start, closing at the end of the return window) vs N
 * baseline workflows with the happy path's counts of activities, timers, signals, updates and child starts (read from
 * P3's history) and the same wait, driven by a bare client at the same concurrency. Completion time: first start to
 * last close. The ledger and the SendGrid stub then show lost and duplicated messages.
 */
import { CHAOS_KEYS } from '../chaos/stack';
import { readLedger } from '../chaos/observe';
import type { JourneyShape } from './baseline/workflows';
import { BenchHttp } from './http';
import { closedLoop, percentiles, ratio, round } from './load';
import { cpuDelta, cpuSnapshot } from './meter';
import { acceptedByJourney, closedExecutions, waitUntilClosed } from './observe';
import { runTag } from './orders';
import { LATE_REPLENISHMENT_DAYS } from './p3-history';
import { BASELINE_TASK_QUEUE, type BenchStack } from './stack';
import { playStory } from './stories';
import { scrapeHistograms, taskTimes } from './sdk-metrics';

export interface P2Options {
  journeys: number;
  concurrency: number;
  /** Messages one happy journey sends (P3's happy path): what the ledger must show per journey. */
  expectedMessages: number;
  timeoutMs: number;
}

interface P2Side {
  completionSeconds: number;
  journeyP50Seconds: number;
  journeyP99Seconds: number;
  closed: number;
  notCompleted: number;
  cpuMs: Record<string, number>;
}

export interface P2Result {
  journeys: number;
  concurrency: number;
  shape: JourneyShape;
  journey: P2Side;
  baseline: P2Side;
  completionRatio: number;
  ledger: { expected: number; sent: number; lost: number; duplicated: number; failedOrSkipped: number };
  /**
   * The journey worker's tasks during the journeys' side, from its SDK metrics: how long they waited to be taken
   * (schedule_to_start) and ran (execution), by kind (absent in results before it was recorded).
   */
  workerTasks?: Record<string, { tasks: number; meanMs?: number }>;
  /** Scripts that failed (after retries), and 503s retried on the way: the journeys' worker was saturated. */
  script: {
    failures: number;
    firstFailure?: string;
    retried503: number;
    seconds: number;
    /** What the scripts waited for, by call (absent in results before it was recorded). */
    waited?: Record<string, { calls: number; p50Ms: number; p99Ms: number; totalSeconds: number }>;
  };
}

export async function benchJourneys(
  b: BenchStack,
  taskQueue: string,
  shape: JourneyShape,
  o: P2Options,
  say: (m: string) => void,
): Promise<P2Result> {
  const client = await b.stack.client();
  const tag = runTag();
  const http = new BenchHttp(b.stack.apiUrl, CHAOS_KEYS);
  const orderIds = Array.from({ length: o.journeys }, (_, i) => `p2${tag}-${i}`);

  say(`P2: ${o.journeys} journeys through the API at concurrency ${o.concurrency}`);
  const tasksBefore = await scrapeHistograms(b.stack.workerSdkMetricsUrl);
  let before = cpuSnapshot(b.pids());
  const driven = await closedLoop(o.journeys, o.concurrency, (i) =>
    playStory(http, 'happy', orderIds[i]!, LATE_REPLENISHMENT_DAYS).then(() => undefined),
  );
  say(
    `  scripts done in ${round(driven.wallMs / 1000)} s (${driven.failures} failed${driven.firstFailure ? `: ${driven.firstFailure}` : ''}); waiting for the journeys to close`,
  );
  const journeyQuery = `TaskQueue="${taskQueue}" AND WorkflowType="orderJourney" AND WorkflowId STARTS_WITH "order-p2${tag}-"`;
  await waitUntilClosed(client, journeyQuery, o.timeoutMs);
  const journey = await side(client, journeyQuery, o.journeys, cpuDelta(before, cpuSnapshot(b.pids())));
  const workerTasks = taskTimes(tasksBefore, await scrapeHistograms(b.stack.workerSdkMetricsUrl));
  for (const [name, t] of Object.entries(workerTasks))
    say(`    worker ${name}: ${t.tasks}${t.meanMs === undefined ? '' : ` tasks, mean ${t.meanMs} ms`}`);
  say(
    `  journeys: ${journey.completionSeconds} s, per journey p50 ${journey.journeyP50Seconds} s, ${journey.notCompleted} not completed`,
  );
  http.close();
  const script = {
    failures: driven.failures,
    ...(driven.firstFailure ? { firstFailure: driven.firstFailure } : {}),
    retried503: http.retried503,
    seconds: round(driven.wallMs / 1000),
    waited: Object.fromEntries(
      [...http.waited].map(([route, ms]) => [
        route,
        { calls: ms.length, ...percentiles(ms), totalSeconds: round(ms.reduce((a, t) => a + t, 0) / 1000) },
      ]),
    ),
  };
  for (const [route, w] of Object.entries(script.waited))
    say(`    ${route}: ${w.calls} calls, p50 ${w.p50Ms} ms, p99 ${w.p99Ms} ms, ${w.totalSeconds} s in all`);

  say(`P2: ${o.journeys} baseline workflows (${JSON.stringify(shape)}) through a bare client`);
  before = cpuSnapshot(b.pids());
  await closedLoop(o.journeys, o.concurrency, async (i) => {
    const handle = await b.bare.workflow.start('baselineJourney', {
      workflowId: `base-p2${tag}-${i}`,
      taskQueue: BASELINE_TASK_QUEUE,
      args: [shape],
    });
    for (let u = 0; u < shape.updates; u++) await handle.executeUpdate('benchOp', { args: ['shipment'] });
    for (let s = 0; s < shape.signals; s++) await handle.signal('benchEvent', `event-${s}`);
  });
  const baseQuery = `TaskQueue="${BASELINE_TASK_QUEUE}" AND WorkflowType="baselineJourney" AND WorkflowId STARTS_WITH "base-p2${tag}-"`;
  await waitUntilClosed(client, baseQuery, o.timeoutMs);
  const baseline = await side(client, baseQuery, o.journeys, cpuDelta(before, cpuSnapshot(b.pids())));
  say(`  baseline: ${baseline.completionSeconds} s, per workflow p50 ${baseline.journeyP50Seconds} s`);

  const ids = orderIds.map((id) => `order-${id}`);
  const ledger = await readLedger(b.stack.database.url, ids);
  const sentRows = ledger.filter((r) => r.status === 'sent' || r.status === 'delivered');
  const accepted = new Map<string, number>();
  for (const r of b.stack.sendgrid.requests)
    if (r.ledgerId && r.status < 300) accepted.set(r.ledgerId, (accepted.get(r.ledgerId) ?? 0) + 1);
  const duplicated = [...accepted.values()].reduce((a, n) => a + Math.max(0, n - 1), 0);
  const perJourney = acceptedByJourney(b.stack.sendgrid, new Set(ids));
  const lost = ids.reduce((a, id) => a + Math.max(0, o.expectedMessages - (perJourney.get(id) ?? 0)), 0);
  return {
    journeys: o.journeys,
    concurrency: o.concurrency,
    shape,
    journey,
    baseline,
    // Baseline time over the journeys' time: 1.0 means as fast as bare Temporal, lower is slower.
    completionRatio: ratio(baseline.completionSeconds, journey.completionSeconds),
    script,
    workerTasks,
    ledger: {
      expected: o.expectedMessages * o.journeys,
      sent: sentRows.length,
      lost,
      duplicated,
      failedOrSkipped: ledger.length - sentRows.length,
    },
  };
}

async function side(
  client: Parameters<typeof closedExecutions>[0],
  query: string,
  n: number,
  cpuMs: Record<string, number>,
): Promise<P2Side> {
  const closed = await closedExecutions(client, query);
  const start = Math.min(...closed.map((c) => c.startMs));
  const end = Math.max(...closed.map((c) => c.closeMs));
  const { p50Ms, p99Ms } = percentiles(closed.map((c) => c.closeMs - c.startMs));
  return {
    completionSeconds: round((end - start) / 1000),
    journeyP50Seconds: round(p50Ms / 1000),
    journeyP99Seconds: round(p99Ms / 1000),
    closed: closed.length,
    notCompleted: n - closed.filter((c) => c.status === 'COMPLETED').length,
    cpuMs,
  };
}

/** The bench's markdown table: each figure, its baseline from the same run, the ratio and the issue's target. */
import { CLOUD_PRICE } from './actions';
import type { BenchRun } from './run';

export function markdownTable(run: BenchRun): string {
  const rows: string[][] = [];
  const { p1, p2, p3, p4, p5 } = run.results;
  for (const r of p1?.runs ?? []) {
    rows.push([
      `P1 starts/s, c${r.concurrency}${p1?.pinned ? ' (pinned: server on its own core)' : ''}`,
      `${r.api.perSecond}`,
      `${r.bare.perSecond}`,
      `${r.throughputRatio}×`,
      '≥ 0.9×',
    ]);
    if (r.roundRatios)
      rows.push([
        `P1 starts/s ratio by round, c${r.concurrency} (the sides take turns; the ratio above is over all rounds)`,
        '',
        '',
        r.roundRatios.map((x) => `${x}×`).join(' · '),
        '',
      ]);
    rows.push([`P1 p50 ms, c${r.concurrency}`, `${r.api.p50Ms}`, `${r.bare.p50Ms}`, `${r.p50Ratio}×`, '']);
    rows.push([`P1 p99 ms, c${r.concurrency}`, `${r.api.p99Ms}`, `${r.bare.p99Ms}`, `${r.p99Ratio}×`, '≤ 1.5×']);
    const ours = cpuPerStart(r.api.cpuMsPerStart);
    const bare = cpuPerStart(r.bare.cpuMsPerStart);
    rows.push([
      `P1 c${r.concurrency}: CPU ms per start, all processes (bare/ours: what the ratio tends to when the cores are the limit)`,
      ours.text,
      bare.text,
      ours.total ? `${Math.round((bare.total / ours.total) * 100) / 100}×` : '',
      '',
    ]);
    if (r.inProcess) {
      rows.push([
        `P1 c${r.concurrency}: in-process JourneyService.start vs bare (starts/s · p99)`,
        `${r.inProcess.perSecond} · ${r.inProcess.p99Ms}`,
        `${r.bare.perSecond} · ${r.bare.p99Ms}`,
        `${r.inProcessVsBare.throughput}× · ${r.inProcessVsBare.p99}×`,
        '',
      ]);
      rows.push([
        `P1 c${r.concurrency}: API vs in-process (the HTTP API's own cost)`,
        '',
        '',
        `${r.apiVsInProcess.throughput}× · ${r.apiVsInProcess.p99}×`,
        '',
      ]);
    }
    if (r.bareHttp && r.bareHttpVsBare && r.apiVsBareHttp) {
      const floor = cpuPerStart(r.bareHttp.cpuMsPerStart);
      rows.push([
        `P1 c${r.concurrency}: a bare node:http server in front of the bare start vs bare (starts/s · p99 · CPU ms per start): the least an HTTP hop costs`,
        `${r.bareHttp.perSecond} · ${r.bareHttp.p99Ms} · ${floor.total.toFixed(2)}`,
        `${r.bare.perSecond} · ${r.bare.p99Ms} · ${bare.total.toFixed(2)}`,
        `${r.bareHttpVsBare.throughput}× · ${r.bareHttpVsBare.p99}×`,
        '',
      ]);
      rows.push([
        `P1 c${r.concurrency}: API vs that bare HTTP server (what ours adds beyond any HTTP hop)`,
        '',
        '',
        `${r.apiVsBareHttp.throughput}× · ${r.apiVsBareHttp.p99}×`,
        '',
      ]);
      const split = cpuSplit(bare.total, floor.total, ours.total, r.bareHttp.cpuMsPerStart, r.api.cpuMsPerStart);
      rows.push([
        `P1 c${r.concurrency}: CPU ms per start beyond bare: any HTTP hop · Temporal's own cost of our start request · our API and its database (ratio: where ours would be if our API cost no more than the bare HTTP server)`,
        `${split.hop} · ${split.startRequest} · ${split.ours}`,
        '',
        `${split.ceiling}×`,
        '',
      ]);
    }
  }
  if (p2) {
    rows.push([
      `P2 ${p2.journeys} journeys, first start → last close (s)`,
      `${p2.journey.completionSeconds}`,
      `${p2.baseline.completionSeconds}`,
      `${p2.completionRatio}× (baseline/ours)`,
      '≥ 0.8×',
    ]);
    rows.push([
      'P2 scripts failed / 503s retried (worker saturated)',
      `${p2.script.failures} / ${p2.script.retried503}`,
      '',
      '',
      '',
    ]);
    const shipments = p2.script.waited?.['POST /v1/orders/:id/shipments'];
    const waitedMs = p2.workerTasks?.workflow_task_schedule_to_start?.meanMs;
    if (shipments && waitedMs !== undefined)
      rows.push([
        "P2 why: a shipment's update waits for the journey's first workflow task (p50 ms) · the worker's tasks waited (mean ms)",
        `${shipments.p50Ms} · ${waitedMs}`,
        '',
        '',
        '',
      ]);
    rows.push([
      'P2 messages lost / duplicated',
      `${p2.ledger.lost} / ${p2.ledger.duplicated} (of ${p2.ledger.expected})`,
      '',
      '',
      '0 / 0',
    ]);
  }
  if (p3) {
    for (const [story, c] of Object.entries(p3.stories))
      rows.push([
        `P3 ${story}: events · actions · KiB`,
        `${c.events} · ${c.actions} · ${(c.bytes / 1024).toFixed(1)}`,
        '',
        '',
        story === 'happy' ? '≤ 160 events' : '',
      ]);
    if (p3.replenishmentChain)
      rows.push([
        'P3 replenishment chain: actions per reminder',
        `${p3.replenishmentChain.actionsPerReminder}`,
        '',
        '',
        '',
      ]);
    const happy = p3.stories.happy;
    const chain = p3.replenishmentChain ? p3.replenishmentChain.actions : 0;
    rows.push([
      `P3 Cloud cost per 1,000 orders (happy + its chain, $${CLOUD_PRICE.usdPerMillionActions}/M actions)`,
      `$${(((happy.actions + chain) * 1000 * CLOUD_PRICE.usdPerMillionActions) / 1e6).toFixed(2)}`,
      '',
      '',
      '',
    ]);
  }
  if (p4) {
    rows.push([
      `P4 worker RSS per cached workflow (KB), cache ${p4.cacheSize.journey} vs ${p4.cacheSize.baseline}`,
      // Below zero: the worker ended below its RSS before the burst (its allocator handed memory back), so the cache
      // added nothing measurable, and a ratio would mean nothing.
      p4.journey.rssPerCachedKb < 0 ? '≈ 0 (RSS back below its start)' : `${p4.journey.rssPerCachedKb}`,
      `${p4.baseline.rssPerCachedKb}`,
      p4.journey.rssPerCachedKb < 0 ? '' : `${p4.rssPerCachedRatio}×`,
      '',
    ]);
    rows.push([
      `P4 worker RSS (MB): before → ${Math.floor(p4.parked / 2)} → ${p4.parked} parked (journey worker on ${p4.allocator ?? 'glibc'}, bare on glibc)`,
      `${p4.journey.rssBeforeMb} → ${p4.journey.rssHalfwayMb} → ${p4.journey.rssAfterMb}`,
      `${p4.baseline.rssBeforeMb} → ${p4.baseline.rssHalfwayMb} → ${p4.baseline.rssAfterMb}`,
      '',
      '',
    ]);
    rows.push([
      `P4 worker RSS at 10,000 parked (MB), ${p4.at10k.measured ? 'MEASURED' : 'ESTIMATED from the cache bound'}`,
      `${p4.at10k.workerRssMb}`,
      '',
      '',
      '≤ 300 MB',
    ]);
    rows.push([
      'P4 s to start them all and see each first activity · never ran it',
      `${p4.journey.startSeconds} · ${p4.journey.notParked ?? 0}`,
      `${p4.baseline.startSeconds} · ${p4.baseline.notParked ?? 0}`,
      '',
      '0 never',
    ]);
    rows.push([
      'P4 idle CPU, worker (% of a core)',
      `${p4.journey.idleCpuPercentOfCore}`,
      `${p4.baseline.idleCpuPercentOfCore}`,
      '',
      '≈ 0',
    ]);
    rows.push([
      'P4 history bytes per parked workflow',
      `${p4.journey.historyBytesPerWorkflow}`,
      `${p4.baseline.historyBytesPerWorkflow}`,
      '',
      '',
    ]);
  }
  if (p5) {
    rows.push([
      `P5 webhook → provider p50 ms (${p5.events} events)`,
      `${p5.webhook.p50Ms}`,
      `${p5.bare.p50Ms}`,
      `${p5.p50Ratio}×`,
      '',
    ]);
    rows.push(['P5 webhook → provider p99 ms', `${p5.webhook.p99Ms}`, `${p5.bare.p99Ms}`, `${p5.p99Ratio}×`, '≤ 1.5×']);
  }
  for (const exit of run.temporalExits ?? [])
    rows.push(['Temporal server died during the run (restarted)', exit.slice(0, 120).replace(/\|/g, '/'), '', '', '']);
  for (const [phase, why] of Object.entries(run.errors ?? {}))
    rows.push([`${phase} FAILED`, why.slice(0, 120).replace(/\|/g, '/'), '', '', '']);
  const head = ['figure', 'ours', 'bare Temporal', 'ratio', 'target'];
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/**
 * P1's CPU per start split: what the HTTP floor adds to bare (any HTTP hop), what the Temporal server spends more on
 * our start request than on the floor's bare one (search attributes, memo, the larger encrypted input), and the rest:
 * our API's code and its database. The ceiling is the CPU-bound ratio (bare/ours) with that rest at zero.
 */
export function cpuSplit(
  bare: number,
  floor: number,
  ours: number,
  floorByProcess: Record<string, number>,
  oursByProcess: Record<string, number>,
): { hop: number; startRequest: number; ours: number; ceiling: number } {
  const r2 = (x: number) => Math.round(x * 100) / 100;
  const startRequest = (oursByProcess.temporal ?? 0) - (floorByProcess.temporal ?? 0);
  return {
    hop: r2(floor - bare),
    startRequest: r2(startRequest),
    ours: r2(ours - floor - startRequest),
    ceiling: r2(bare / (floor + startRequest)),
  };
}

/** The CPU a start cost every process together, and by process ("7.1: temporal 4.48 · api 2.06 · …"). */
function cpuPerStart(byProcess: Record<string, number>): { total: number; text: string } {
  const parts = Object.entries(byProcess).filter(([, ms]) => ms >= 0.05);
  const total = parts.reduce((sum, [, ms]) => sum + ms, 0);
  return {
    total,
    text: `${total.toFixed(2)}: ${parts
      .sort((a, b) => b[1] - a[1])
      .map(([name, ms]) => `${name} ${ms}`)
      .join(' · ')}`,
  };
}

/**
 * The capacity plan's arithmetic (docs/capacity.md), from one bench run's results: every derived figure is printed with
 * the measured inputs it comes from, so the document's numbers can be traced and recomputed after the next run.
 * Run: `npx tsx bench/capacity.ts bench/results/<date>.json [<a P4-only run>.json]`.
 */
import { readFileSync } from 'node:fs';
import { CLOUD_PRICE } from './actions';
import type { BenchRun } from './run';

/** Assumptions of the plan (not measured here): change them here and rerun. */
export const PLAN = {
  ordersPerMonth: 1_000_000,
  journeyDays: 45,
  blackFridayFactor: 10,
  /** Story mix: single-parcel happy path, split shipment, return, cancellation. */
  mix: { happy: 0.8, split: 0.1, return: 0.07, cancel: 0.03 },
  /** Orders with an item that gets replenishment reminders, and reminders sent per chain (policy: 3 unanswered). */
  replenishableShare: 0.5,
  remindersPerChain: 3,
  /** Chain lifetime in days: three reminders at the cosmetics interval (70 days). */
  chainDays: 210,
  retentionDays: 30,
  hoursPerMonth: 744,
};

export function plan(run: BenchRun): string[] {
  const { p1, p2, p4 } = run.results;
  const p3 = run.results.p3;
  if (!p3) throw new Error('the run has no P3 results');
  const stories = p3.stories;
  const out: string[] = [];
  const say = (line: string) => out.push(line);
  const perDay = PLAN.ordersPerMonth / 30;
  const mixed = (f: (c: (typeof stories)['happy']) => number) =>
    Object.entries(PLAN.mix).reduce((a, [story, share]) => a + share * f(stories[story as keyof typeof stories]), 0);

  say(
    `orders: ${PLAN.ordersPerMonth} a month = ${Math.round(perDay)} a day = ${(perDay / 86_400).toFixed(2)}/s; Black Friday ${PLAN.blackFridayFactor}× = ${((perDay * PLAN.blackFridayFactor) / 86_400).toFixed(1)}/s`,
  );
  const openJourneys = perDay * PLAN.journeyDays;
  const chainsPerDay = perDay * PLAN.replenishableShare;
  const openChains = chainsPerDay * PLAN.chainDays;
  say(
    `open journeys (Little's law): ${Math.round(perDay)}/day × ${PLAN.journeyDays} days = ${Math.round(openJourneys)}`,
  );
  say(
    `open replenishment chains (upper bound, no reorders): ${Math.round(chainsPerDay)}/day × ${PLAN.chainDays} days = ${Math.round(openChains)}`,
  );

  const chain = p3.replenishmentChain;
  const chainActions = chain ? chain.actions / Math.max(1, chain.reminders) : NaN;
  const journeyActions = mixed((c) => c.actions);
  const perOrder = journeyActions + PLAN.replenishableShare * PLAN.remindersPerChain * chainActions;
  say(
    `actions per journey, mixed (P3: ${Object.entries(p3.stories)
      .map(([s, c]) => `${s} ${c.actions}`)
      .join(', ')}): ${journeyActions.toFixed(1)}`,
  );
  say(
    `actions per reminder (P3 chain: ${chain?.actions} actions / ${chain?.reminders} reminders): ${chainActions.toFixed(1)}`,
  );
  say(
    `actions per order: ${journeyActions.toFixed(1)} + ${PLAN.replenishableShare} × ${PLAN.remindersPerChain} × ${chainActions.toFixed(1)} = ${perOrder.toFixed(1)}`,
  );
  const monthly = perOrder * PLAN.ordersPerMonth;
  const avgAps = monthly / (30 * 86_400);
  say(
    `actions a month: ${(monthly / 1e6).toFixed(1)} M; average ${avgAps.toFixed(1)} APS; Black Friday ${PLAN.blackFridayFactor}× = ${(avgAps * PLAN.blackFridayFactor).toFixed(0)} APS (upper bound: every action of the day's orders on the day)`,
  );
  let left = monthly / 1e6;
  let floor = 0;
  let actionsUsd = 0;
  for (const t of CLOUD_PRICE.tiers) {
    const inTier = Math.max(0, Math.min(left, t.upToMillions - floor));
    actionsUsd += inTier * t.usdPerMillion;
    left -= inTier;
    floor = t.upToMillions;
  }
  say(`Cloud actions: $${actionsUsd.toFixed(0)} a month (pay-as-you-go tiers, ${CLOUD_PRICE.readOn})`);

  const kib = (b: number) => b / 1024;
  const closedKiB = mixed((c) => kib(c.bytes));
  const parkedKiB = p4 ? kib(p4.journey.historyBytesPerWorkflow) : closedKiB / 4;
  const chainRunKiB = chain ? kib(chain.bytes) / Math.max(1, chain.reminders) : NaN;
  const activeGb = ((openJourneys * (parkedKiB + closedKiB)) / 2 + openChains * chainRunKiB) / 2 ** 20;
  const retainedGb =
    ((perDay * closedKiB + chainsPerDay * PLAN.remindersPerChain * chainRunKiB * (30 / PLAN.chainDays)) *
      PLAN.retentionDays) /
    2 ** 20;
  say(
    `history per closed journey, mixed (P3): ${closedKiB.toFixed(1)} KiB; parked after confirmation (P4): ${parkedKiB.toFixed(1)} KiB; per chain run: ${chainRunKiB.toFixed(1)} KiB`,
  );
  say(
    `active storage: journeys × mean(parked, closed) + chains × one run = ${activeGb.toFixed(1)} GB; retained (${PLAN.retentionDays} days) ≈ ${retainedGb.toFixed(1)} GB`,
  );
  const activeUsd = activeGb * PLAN.hoursPerMonth * CLOUD_PRICE.activeStorageUsdPerGbHour;
  const retainedUsd = retainedGb * PLAN.hoursPerMonth * CLOUD_PRICE.retainedStorageUsdPerGbHour;
  say(`Cloud storage: active $${activeUsd.toFixed(0)} + retained $${retainedUsd.toFixed(0)} a month`);
  const usage = actionsUsd + activeUsd + retainedUsd;
  say(
    `Cloud total: usage $${usage.toFixed(0)} + Business plan max($500, 10%) $${Math.max(500, usage * 0.1).toFixed(0)} = $${(usage + Math.max(500, usage * 0.1)).toFixed(0)} a month (before plan allowances and commitments)`,
  );

  if (p2) {
    const workerMsPerJourney = (p2.journey.cpuMs.worker ?? NaN) / p2.journeys;
    const apiMsPerJourney = (p2.journey.cpuMs.api ?? NaN) / p2.journeys;
    const temporalMsPerJourney = (p2.journey.cpuMs.temporal ?? NaN) / p2.journeys;
    const postgresMsPerJourney = (p2.journey.cpuMs.postgres ?? NaN) / p2.journeys;
    const peak = (perDay * PLAN.blackFridayFactor) / 86_400;
    say(
      `CPU per whole journey (P2, demo policy): worker ${workerMsPerJourney.toFixed(0)} ms, API ${apiMsPerJourney.toFixed(0)} ms, Temporal dev server ${temporalMsPerJourney.toFixed(0)} ms, PostgreSQL ${postgresMsPerJourney.toFixed(0)} ms`,
    );
    say(
      `Black Friday CPU (all of a journey's work on its day, upper bound): worker ${((peak * workerMsPerJourney) / 1000).toFixed(2)} cores, API ${((peak * apiMsPerJourney) / 1000).toFixed(2)} cores`,
    );
  }
  if (p1)
    for (const r of p1.runs)
      say(
        `P1 c${r.concurrency}: API ${r.api.cpuMsPerStart.api} ms CPU per start, Temporal dev server ${r.api.cpuMsPerStart.temporal} ms per start`,
      );
  if (p4) {
    say(
      `worker RSS per cached journey (P4, ${p4.parked} parked, cache ${p4.cacheSize.journey}): ${Math.max(0, p4.journey.rssPerCachedKb)} KB (bare: ${p4.baseline.rssPerCachedKb} KB); RSS with 10,000 parked ${p4.at10k.workerRssMb} MB (${p4.at10k.measured ? 'measured' : 'estimated'}); dev-server database per parked journey ${p4.journey.dbBytesPerWorkflow} bytes`,
    );
    say(
      `worker idle CPU with ${p4.parked} parked: ${p4.journey.idleCpuPercentOfCore} % of a core; Temporal ${p4.journey.temporalIdleCpuPercentOfCore} %`,
    );
  }
  return out;
}

const readRun = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as BenchRun;

if (require.main === module) {
  // A second file gives P4 from a run of its own (`--only p4 --parked 10000` takes longer than a whole default run).
  const [file, p4File] = process.argv.slice(2);
  if (!file) {
    console.error('usage: npx tsx bench/capacity.ts bench/results/<date>.json [<P4 run>.json]');
    process.exit(2);
  }
  const run = readRun(file);
  if (p4File) {
    const p4 = readRun(p4File).results.p4;
    if (!p4) throw new Error(`${p4File} has no P4 results`);
    run.results.p4 = p4;
    console.log(`(P4 from ${p4File})`);
  }
  for (const line of plan(run)) console.log(line);
}

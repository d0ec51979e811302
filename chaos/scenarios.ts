/**
 * The faults, one per scenario. Each injector runs alongside the workload, records what it did and when (the windows
 * the report uses to say what the API answered meanwhile), and leaves the stack whole when it returns.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiCaller, ApiAnswer } from './http';
import type { Stack } from './stack';
import type { Workload } from './workload';

export const SCENARIOS = [
  'control',
  'worker-kill',
  'temporal-restart',
  'postgres-outage',
  'provider-outage',
  'provider-failover',
  'api-restart',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** A short code per scenario, part of its order ids. */
export const SCENARIO_CODES: Record<ScenarioName, string> = {
  control: 'c',
  'worker-kill': 'k',
  'temporal-restart': 't',
  'postgres-outage': 'p',
  'provider-outage': 'e',
  'provider-failover': 'f',
  'api-restart': 'a',
};

export interface FaultOptions {
  /** Worker SIGKILLs in the worker-kill scenario. */
  kills: number;
  /** Random pause before each kill, once the worker serves again: [min, max] seconds. */
  killGapSeconds: [number, number];
  temporalDownSeconds: number;
  postgresDownSeconds: number;
  providerOutageSeconds: number;
}

export interface FaultWindow {
  what: string;
  from: number;
  to: number;
}

export interface FaultContext {
  stack: Stack;
  workload: Workload;
  api: ApiCaller;
  options: FaultOptions;
  random: () => number;
  say: (msg: string) => void;
}

export interface FaultRecord {
  windows: FaultWindow[];
  /** Scenario-specific facts for the report (kill count, probe answers…). */
  facts: Record<string, unknown>;
}

export async function injectFault(name: ScenarioName, ctx: FaultContext): Promise<FaultRecord> {
  switch (name) {
    case 'control':
      return { windows: [], facts: {} };
    case 'worker-kill':
      return killWorker(ctx);
    case 'temporal-restart':
      return restartTemporal(ctx);
    case 'postgres-outage':
      return cutPostgres(ctx);
    case 'provider-outage':
      return emailOutage(ctx);
    case 'provider-failover':
      return primariesOutage(ctx);
    case 'api-restart':
      return restartApi(ctx);
  }
}

/** Waits until `share` of the orders have been placed (or every script is done). */
async function whenPlaced(workload: Workload, share: number): Promise<void> {
  const target = Math.max(1, Math.ceil(workload.plans.length * share));
  while (workload.placed < target && workload.scriptsDone < workload.plans.length) await sleep(100);
}

async function killWorker({ stack, workload, api, options, random, say }: FaultContext): Promise<FaultRecord> {
  const windows: FaultWindow[] = [];
  const restartSeconds: number[] = [];
  await whenPlaced(workload, 0.05);
  for (let kill = 1; kill <= options.kills && !api.expired; kill++) {
    while (!stack.worker.serving) await sleep(100);
    const [min, max] = options.killGapSeconds;
    await sleep((min + random() * (max - min)) * 1000);
    const from = Date.now();
    await stack.worker.restart('SIGKILL');
    windows.push({ what: `worker kill ${kill}`, from, to: Date.now() });
    restartSeconds.push((Date.now() - from) / 1000);
    say(`  worker killed (${kill}/${options.kills}), serving again after ${restartSeconds.at(-1)!.toFixed(1)} s`);
  }
  return { windows, facts: { kills: windows.length, restartSeconds } };
}

async function restartTemporal({ stack, workload, options, say }: FaultContext): Promise<FaultRecord> {
  await whenPlaced(workload, 0.4);
  const from = Date.now();
  await stack.temporal.kill();
  say(`  Temporal dev server killed (SIGKILL); down for ${options.temporalDownSeconds} s`);
  await sleep(options.temporalDownSeconds * 1000);
  await stack.temporal.start();
  const to = Date.now();
  say(`  Temporal dev server back after ${((to - from) / 1000).toFixed(1)} s (same db file)`);
  return { windows: [{ what: 'Temporal down', from, to }], facts: { downSeconds: (to - from) / 1000 } };
}

async function cutPostgres({ stack, workload, api, options, say }: FaultContext): Promise<FaultRecord> {
  await whenPlaced(workload, 0.3);
  const known = workload.runs.find((r) => r.placeAnswers.includes(201))?.plan.orderId;
  const proxy = stack.pgProxy;
  if (!proxy) throw new Error('the postgres-outage scenario needs the stack with its database proxy');
  const from = Date.now();
  await proxy.cut();
  say(`  PostgreSQL cut off for ${options.postgresDownSeconds} s`);
  // Besides the workload's own calls, ask what a load balancer and a support tool would ask, once a second.
  const until = from + options.postgresDownSeconds * 1000;
  while (Date.now() < until) {
    await Promise.all([
      api.call('GET', '/readyz', { retry: false }),
      known ? api.call('GET', `/v1/orders/${known}/journey`, { role: 'support', retry: false }) : Promise.resolve(),
      sleep(1_000),
    ]);
  }
  await proxy.restore();
  const to = Date.now();
  say('  PostgreSQL reachable again');
  return { windows: [{ what: 'PostgreSQL down', from, to }], facts: { downSeconds: (to - from) / 1000 } };
}

async function emailOutage({ stack, workload, options, say }: FaultContext): Promise<FaultRecord> {
  await whenPlaced(workload, 0.2);
  const from = Date.now();
  const to = from + options.providerOutageSeconds * 1000;
  stack.sendgrid.startOutage(to);
  say(`  email provider answers 503/429 for ${options.providerOutageSeconds} s`);
  await sleep(to - Date.now());
  stack.sendgrid.endOutage();
  const refused = stack.sendgrid.requests.filter((r) => r.at >= from && r.at <= to && r.status >= 400).length;
  say(`  email provider back (${refused} requests refused meanwhile)`);
  return {
    windows: [{ what: 'email provider outage', from, to }],
    facts: { outageSeconds: options.providerOutageSeconds, refusedRequests: refused },
  };
}

/**
 * SendGrid and Twilio both answer 503/429 for the outage; the services run with Resend and Vonage as their failover
 * providers (docs/failover.md), so messages go on through those, each once, and return to the primaries after.
 */
async function primariesOutage({ stack, workload, options, say }: FaultContext): Promise<FaultRecord> {
  await whenPlaced(workload, 0.2);
  const from = Date.now();
  const to = from + options.providerOutageSeconds * 1000;
  stack.sendgrid.startOutage(to);
  stack.twilio.startOutage(to);
  say(`  SendGrid and Twilio answer 503/429 for ${options.providerOutageSeconds} s`);
  await sleep(to - Date.now());
  stack.sendgrid.endOutage();
  stack.twilio.endOutage();
  const acceptedBy = (stub: typeof stack.resend, a: number, b: number) =>
    stub.requests.filter((r) => r.at >= a && r.at <= b && r.status < 300 && !r.idempotentRepeat).length;
  const during = {
    sendgrid: acceptedBy(stack.sendgrid, from, to),
    twilio: acceptedBy(stack.twilio, from, to),
    resend: acceptedBy(stack.resend, from, to),
    vonage: acceptedBy(stack.vonage, from, to),
  };
  say(`  primaries back; messages accepted during the outage, per provider: ${JSON.stringify(during)}`);
  return {
    windows: [{ what: 'SendGrid and Twilio outage', from, to }],
    facts: { outageSeconds: options.providerOutageSeconds, acceptedDuringOutage: during },
  };
}

async function restartApi({ stack, workload, say }: FaultContext): Promise<FaultRecord> {
  const windows: FaultWindow[] = [];
  for (const [share, signal] of [
    [0.25, 'SIGKILL'],
    [0.6, 'SIGTERM'],
  ] as const) {
    await whenPlaced(workload, share);
    const from = Date.now();
    await stack.api.restart(signal);
    windows.push({ what: `API restart (${signal})`, from, to: Date.now() });
    say(`  API restarted (${signal}) after ${((Date.now() - from) / 1000).toFixed(1)} s`);
  }
  return { windows, facts: { restarts: windows.length } };
}

/** What callers got while a fault lasted (and 2 s after): counts per status, and how 5xx answers were made. */
export function answersDuring(answers: ApiAnswer[], windows: FaultWindow[]) {
  const inside = answers.filter((a) => windows.some((w) => a.at >= w.from && a.at <= w.to + 2_000));
  const byStatus: Record<string, number> = {};
  for (const a of inside) byStatus[String(a.status)] = (byStatus[String(a.status)] ?? 0) + 1;
  const serverErrors = inside.filter((a) => a.status >= 500);
  const byRoute: Record<string, Record<string, number>> = {};
  for (const a of serverErrors) {
    const key = `${a.status}${a.errorCode ? ` ${a.errorCode}` : ''}`;
    (byRoute[a.route] ??= {})[key] = (byRoute[a.route]![key] ?? 0) + 1;
  }
  return {
    total: inside.length,
    byStatus,
    status503WithRetryAfter: inside.filter((a) => a.status === 503 && a.retryAfter).length,
    status503WithoutRetryAfter: inside.filter((a) => a.status === 503 && !a.retryAfter).length,
    status500: inside.filter((a) => a.status === 500).length,
    noAnswer: inside.filter((a) => a.status === 0).length,
    serverErrorsByRoute: byRoute,
  };
}

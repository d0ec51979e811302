/**
 * `npm run chaos` — the fault-injection suite of issue 9. Starts the production-like split (chaos/stack.ts), runs the
 * control scenario and then each fault scenario with the same workload, prints one line per scenario and writes
 * everything to chaos/results/<date>.json. Flags: see `npm run chaos -- --help` and chaos/README.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ApiCaller } from './http';
import { checkCustomerLifecycles, lifecycleLine, lifecyclesClean } from './lifecycle-check';
import { collectOutcomes, listFailed, readLedger, replayClosedJourneys, waitForJourneys } from './observe';
import { baselineOf, judgeScenario, summaryLine, type Baseline, type ScenarioResult } from './report';
import {
  answersDuring,
  injectFault,
  SCENARIO_CODES,
  SCENARIOS,
  type FaultOptions,
  type ScenarioName,
} from './scenarios';
import { CHAOS_KEYS, removeStackDir, startStack, type Stack } from './stack';
import { planJourneys, Workload } from './workload';
import { chaosPolicyOverrides, retryWindowSeconds } from './policy';

export interface ChaosOptions extends FaultOptions {
  scenarios: ScenarioName[];
  journeys: number;
  /** Orders placed per second. */
  rate: number;
  scanAgeSeconds: number;
  /**
   * The journeys' return window in demo days (seconds): a journey stays open until it closes, so it must outlast the
   * faults (a return asked after a minute's outage) yet let journeys close within the settle time.
   */
  returnWindowDays: number;
  /** How long to wait for journeys to close after the workload, per scenario. */
  settleSeconds: number;
  /** After this long, callers stop retrying and scripts stop (keeps a broken run bounded). */
  scenarioBudgetSeconds: number;
  /** The whole run's bound: scenarios share what is left of it, so a badly broken stack still ends in time. */
  maxMinutes: number;
  seed: number;
  /** Where the JSON goes; undefined: nowhere. */
  resultsDir?: string;
  keep: boolean;
  /** The PostgreSQL server the run creates its database on (default: DATABASE_URL, else the local server). */
  databaseServerUrl?: string;
  say: (msg: string) => void;
}

export const DEFAULT_OPTIONS: Omit<ChaosOptions, 'say'> = {
  scenarios: [...SCENARIOS],
  journeys: 200,
  rate: 4,
  scanAgeSeconds: 0,
  returnWindowDays: 120,
  // A send that failed all through the provider outage backs off up to 5 min (src/workflows/activity-stubs.ts), then
  // waits its turn in the rate-limited email queue: the journeys it holds need about that long after the outage.
  settleSeconds: 360,
  scenarioBudgetSeconds: 360,
  maxMinutes: 55,
  kills: 10,
  killGapSeconds: [1, 6],
  temporalDownSeconds: 15,
  postgresDownSeconds: 60,
  providerOutageSeconds: 90,
  seed: 9,
  resultsDir: path.join(__dirname, 'results'),
  keep: false,
};

export interface ChaosRun {
  startedAt: string;
  /** The code under test: HEAD when the run started, and how many files under src/ differed from it. */
  tree: { commit: string; uncommittedFiles: number };
  options: Omit<ChaosOptions, 'say'>;
  results: ScenarioResult[];
  /** `ExecutionStatus="Failed"` over the whole namespace after the run. */
  failedExecutions: string[];
  /** Worker / API (per scenario) and Temporal deaths nobody asked for (each restarted by the suite's supervisor). */
  unexpectedExits: Record<string, string[]>;
  lines: string[];
  file?: string;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosRun> {
  const { say } = options;
  const startedAt = new Date();
  const runTag = startedAt.getTime().toString(36).slice(-5);
  const scenarios: ScenarioName[] = options.scenarios.includes('control')
    ? options.scenarios
    : ['control', ...options.scenarios];
  const ordered = SCENARIOS.filter((s) => scenarios.includes(s));
  const stack = await startStack(say, { databaseServerUrl: options.databaseServerUrl });
  const stopSignals = () =>
    void stack
      .stop({ keepDatabase: options.keep })
      .then(() => options.keep || removeStackDir(stack.dir))
      .finally(() => process.exit(130));
  process.once('SIGINT', stopSignals);
  process.once('SIGTERM', stopSignals);
  const run: ChaosRun = {
    startedAt: startedAt.toISOString(),
    tree: { commit: stack.tree.commit, uncommittedFiles: stack.tree.uncommittedFiles },
    options: withoutSay(options),
    results: [],
    failedExecutions: [],
    unexpectedExits: {},
    lines: [],
  };
  try {
    const random = seeded(options.seed);
    let baselines: Map<number, Baseline> | undefined;
    const runEnds = startedAt.getTime() + options.maxMinutes * 60_000;
    for (const [n, scenario] of ordered.entries()) {
      // Each scenario gets at most its share of the time left (replay and clean-up need about a minute at the end).
      const share = Math.max(60, (runEnds - Date.now() - 60_000) / 1000 / (ordered.length - n));
      // The settle time also gets what the workload leaves of its share: journeys that stay open longer on purpose
      // (worker-kill's return window grows with the kills, chaos/policy.ts) need it.
      const budget = {
        workloadSeconds: Math.min(options.scenarioBudgetSeconds, share * 0.6),
        settleSeconds: Math.min(options.settleSeconds, share * 0.3),
        shareSeconds: share * 0.95,
      };
      say(`scenario ${scenario}: ${options.journeys} journeys`);
      const { result, outcomes } = await runScenario(
        stack,
        scenario,
        `${runTag}${SCENARIO_CODES[scenario]}`,
        n,
        options,
        budget,
        baselines ?? 'self',
        random,
      );
      if (scenario === 'control')
        baselines = new Map(outcomes.flatMap((o) => ((b) => (b ? [[o.plan.index, b] as const] : []))(baselineOf(o))));
      run.results.push(result);
      for (const service of [stack.worker, stack.api]) {
        const exits = service.unexpectedExits.map((e) => `${new Date(e.at).toISOString()} ${e.how}`);
        if (exits.length) run.unexpectedExits[`${scenario} ${service.name}`] = exits;
      }
      const line = summaryLine(result);
      run.lines.push(line);
      console.log(line);
    }
    const client = await stack.client();
    run.failedExecutions = await listFailed(client).catch((err: Error) => [`(could not list: ${err.message})`]);
    run.unexpectedExits.temporal = stack.temporal.unexpectedExits;
    const failedLine = `ExecutionStatus="Failed": ${run.failedExecutions.length}${run.failedExecutions.length ? ` [${run.failedExecutions.slice(0, 10).join(', ')}]` : ''}`;
    run.lines.push(failedLine);
    console.log(failedLine);
  } finally {
    process.removeListener('SIGINT', stopSignals);
    process.removeListener('SIGTERM', stopSignals);
    await stack.stop({ keepDatabase: options.keep });
    if (!options.keep) removeStackDir(stack.dir);
    else say(`kept ${stack.dir} and database ${stack.database.name}`);
  }
  if (options.resultsDir) {
    mkdirSync(options.resultsDir, { recursive: true });
    run.file = path.join(options.resultsDir, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(run.file, JSON.stringify(run, null, 2) + '\n');
    say(`results in ${path.relative(process.cwd(), run.file)}`);
  }
  return run;
}

async function runScenario(
  stack: Stack,
  scenario: ScenarioName,
  prefix: string,
  n: number,
  options: ChaosOptions,
  budget: { workloadSeconds: number; settleSeconds: number; shareSeconds: number },
  baselines: Map<number, Baseline> | 'self',
  random: () => number,
) {
  const { say } = options;
  await stack.startServices(scenario, {
    JOURNEY_POLICY_OVERRIDES: JSON.stringify(chaosPolicyOverrides(scenario, options.returnWindowDays, options.kills)),
    // Only this scenario has failover providers: in the others a provider outage is waited out, as it was before.
    ...(scenario === 'provider-failover' ? stack.failoverEnv : {}),
  });
  const started = Date.now();
  const client = await stack.client();
  const api = new ApiCaller(stack.apiUrl, CHAOS_KEYS);
  api.giveUpAt = started + budget.workloadSeconds * 1000;
  const plans = planJourneys(prefix, options.journeys, n * 1_000_000);
  const workload = new Workload(plans, api, {
    journeys: options.journeys,
    rate: options.rate,
    scanAgeSeconds: options.scanAgeSeconds,
  });

  // Caught at once: the Temporal worker library turns any unhandled rejection in this process into a crash.
  const fault = injectFault(scenario, { stack, workload, api, options, random, say }).catch((err: Error) => {
    say(`  fault injection failed: ${err.message}`);
    return { windows: [], facts: { injectionError: err.message } };
  });
  await workload.run();
  const record = await fault;
  say(`  workload done after ${((Date.now() - started) / 1000).toFixed(0)} s; waiting for journeys to close`);
  const workloadSeconds = (Date.now() - started) / 1000;
  const settleSeconds = Math.min(
    options.settleSeconds,
    Math.max(budget.settleSeconds, budget.shareSeconds - workloadSeconds),
  );
  const states = await waitForJourneys(client, plans, settleSeconds * 1000, say, plans.length <= 20 ? 1_000 : 5_000);

  const facts: Record<string, unknown> = {
    ...record.facts,
    unexpectedExits: { worker: stack.worker.unexpectedExits.length, api: stack.api.unexpectedExits.length },
    windows: record.windows.map((w) => ({ what: w.what, seconds: (w.to - w.from) / 1000 })),
  };
  if (record.windows.length) facts.apiAnswersDuringFaults = answersDuring(api.answers, record.windows);
  facts.apiServerErrors = answersDuring(api.answers, [
    { what: 'whole scenario', from: started, to: Date.now() },
  ]).serverErrorsByRoute;
  if (scenario === 'api-restart') facts.orders = await checkOrdersAfterApiRestart(workload, states);

  const ledger = await readLedger(
    stack.database.url,
    plans.map((p) => p.workflowId),
  );
  const requests = [
    ...stack.sendgrid.requests,
    ...stack.twilio.requests,
    ...stack.resend.requests,
    ...stack.vonage.requests,
  ];
  const outcomes = collectOutcomes(plans, states, ledger, requests);
  const lifecycles = await checkCustomerLifecycles(
    client,
    stack.database.url,
    plans.map((p) => p.orderId),
    requests,
    stack.tree.root,
  ).catch((err: Error) => ({ error: err.message }));
  say(`  ${lifecycleLine(lifecycles)}`);
  const closed = outcomes
    .filter((o) => o.status !== 'RUNNING' && o.status !== 'NOT_FOUND' && !o.status.startsWith('UNKNOWN'))
    .map((o) => o.workflowId);
  const replay = await replayClosedJourneys(client, closed, stack.tree.root);
  const scriptProblems = workload.runs.map((r) => ({ workflowId: r.plan.workflowId, problems: r.problems }));
  const mayGiveUp = (messageType: string) =>
    retryWindowSeconds(scenario, messageType) < faultSeconds(scenario, options) + 60;
  return {
    result: {
      ...judgeScenario(
        scenario,
        (Date.now() - started) / 1000,
        outcomes,
        baselines,
        replay,
        scriptProblems,
        facts,
        mayGiveUp,
      ),
      customers: lifecycles,
    },
    outcomes,
  };
}

/** How long the scenario's fault keeps a send from succeeding, at most (a worker kill: seconds, not counted). */
function faultSeconds(scenario: ScenarioName, options: FaultOptions): number {
  if (scenario === 'provider-outage' || scenario === 'provider-failover') return options.providerOutageSeconds;
  if (scenario === 'postgres-outage') return options.postgresDownSeconds;
  if (scenario === 'temporal-restart') return options.temporalDownSeconds;
  return 0;
}

/** Every order that got 201 has its journey; the same order POSTed again gets 200. */
async function checkOrdersAfterApiRestart(workload: Workload, states: Map<string, { status: string }>) {
  const created = workload.runs.filter((r) => r.placeAnswers.includes(201));
  const withoutJourney = created
    .filter((r) => (states.get(r.plan.workflowId)?.status ?? 'NOT_FOUND') === 'NOT_FOUND')
    .map((r) => r.plan.workflowId);
  const repostAnswers: Record<string, number> = {};
  for (const r of workload.runs.filter((r) => r.order)) {
    const status = await workload.repost(r);
    repostAnswers[String(status)] = (repostAnswers[String(status)] ?? 0) + 1;
  }
  const firstAnswers: Record<string, number> = {};
  for (const r of workload.runs)
    for (const s of r.placeAnswers) firstAnswers[String(s)] = (firstAnswers[String(s)] ?? 0) + 1;
  return {
    got201: created.length,
    withoutJourney,
    answersWhilePlacing: firstAnswers,
    answersToRetriedPost: repostAnswers,
  };
}

/** Nothing lost, stuck, failed, doubled or nondeterministic; every customer workflow running and replaying. */
export function isClean(r: ScenarioResult): boolean {
  const { journeys: j, messages: m } = r;
  return (
    j.completed === j.total &&
    j.failed.length + j.stuck.length === 0 &&
    m.duplicated + m.missing === 0 &&
    r.replay.nondeterminism === 0 &&
    lifecyclesClean(r.customers)
  );
}

function withoutSay({ say: _say, ...rest }: ChaosOptions): Omit<ChaosOptions, 'say'> {
  return rest;
}

/** A small deterministic PRNG (mulberry32): the same seed gives the same kill moments. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- Command line

const HELP = `npm run chaos -- [flags]
  --scenario a,b        ${SCENARIOS.join(', ')} (control always runs first; default: all)
  --journeys n          journeys per scenario (default ${DEFAULT_OPTIONS.journeys})
  --rate n              orders placed per second (default ${DEFAULT_OPTIONS.rate})
  --kills n             worker SIGKILLs in worker-kill (default ${DEFAULT_OPTIONS.kills})
  --temporal-down s     seconds the Temporal server stays down (default ${DEFAULT_OPTIONS.temporalDownSeconds})
  --postgres-down s     seconds PostgreSQL is cut off (default ${DEFAULT_OPTIONS.postgresDownSeconds})
  --outage s            seconds the email provider (provider-failover: SendGrid and Twilio) answers 503/429
                        (default ${DEFAULT_OPTIONS.providerOutageSeconds})
  --scan-age s          carriers report scans this many seconds late (default ${DEFAULT_OPTIONS.scanAgeSeconds})
  --return-window s     the journeys' return window in demo days = seconds (default ${DEFAULT_OPTIONS.returnWindowDays})
  --settle s            wait at most this long for journeys to close (default ${DEFAULT_OPTIONS.settleSeconds})
  --seed n              kill moments (default ${DEFAULT_OPTIONS.seed})
  --max-minutes n       bound of the whole run; scenarios share what is left (default ${DEFAULT_OPTIONS.maxMinutes})
  --keep                keep the temp dir (logs, temporal.db) and the database
  --no-results          do not write chaos/results/<date>.json`;

export function parseArgs(argv: string[]): Omit<ChaosOptions, 'say'> {
  const options = { ...DEFAULT_OPTIONS, killGapSeconds: [...DEFAULT_OPTIONS.killGapSeconds] as [number, number] };
  const numbers: Record<string, keyof typeof options> = {
    '--journeys': 'journeys',
    '--rate': 'rate',
    '--kills': 'kills',
    '--temporal-down': 'temporalDownSeconds',
    '--postgres-down': 'postgresDownSeconds',
    '--outage': 'providerOutageSeconds',
    '--scan-age': 'scanAgeSeconds',
    '--return-window': 'returnWindowDays',
    '--settle': 'settleSeconds',
    '--seed': 'seed',
    '--max-minutes': 'maxMinutes',
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i] ?? '';
    if (flag === '--help' || flag === '-h') {
      console.log(HELP);
      process.exit(0);
    } else if (flag === '--scenario' || flag === '--scenarios') {
      const names = value()
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const unknown = names.filter((s) => !(SCENARIOS as readonly string[]).includes(s));
      if (unknown.length || !names.length)
        throw new Error(`unknown scenario ${unknown.join(', ') || '(none)'}; one of ${SCENARIOS.join(', ')}`);
      options.scenarios = names as ScenarioName[];
    } else if (flag === '--keep') options.keep = true;
    else if (flag === '--no-results') options.resultsDir = undefined;
    else if (numbers[flag]) {
      const n = Number(value());
      if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} needs a non-negative number`);
      (options as Record<string, unknown>)[numbers[flag]] = n;
    } else throw new Error(`unknown flag ${flag}\n${HELP}`);
  }
  if (options.journeys < 1) throw new Error('--journeys must be at least 1');
  if (options.rate <= 0) throw new Error('--rate must be positive');
  return options;
}

if (require.main === module) {
  let options: Omit<ChaosOptions, 'say'>;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  const t0 = Date.now();
  runChaos({ ...options, say: (msg) => console.log(`[chaos] ${msg}`) }).then(
    (run) => {
      console.log(`[chaos] done in ${((Date.now() - t0) / 60_000).toFixed(1)} min`);
      // Plain exit: the suite's Temporal client and the replay runtime keep handles open. 3: the suite found something.
      process.exit(run.results.every(isClean) && run.failedExecutions.length === 0 ? 0 : 3);
    },
    (err: Error) => {
      console.error(`[chaos] ${err.stack ?? err.message}`);
      process.exit(1);
    },
  );
}

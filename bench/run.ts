/**
 * `npm run bench` — issue 10's benchmark: P1 starts, P2 whole journeys, P3 history and actions, P4 parked journeys,
 * P5 carrier news, each against a bare-Temporal baseline measured in the same run on the same dev server, with the
 * API, the worker, the Temporal server and the bare worker as separate processes (CPU time recorded per process).
 * Writes bench/results/<date>.json and .md. Flags: `npm run bench -- --help`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { getHeapStatistics } from 'node:v8';
import path from 'node:path';
import { removeStackDir } from '../chaos/stack';
import { DEFAULT_MAX_CACHED_WORKFLOWS } from '../src/config';
import { CLOUD_PRICE } from './actions';
import { machineLoad } from './meter';
import { benchStart, type P1Result } from './p1-start';
import { benchJourneys, type P2Result } from './p2-journeys';
import { benchHistory, type P3Result } from './p3-history';
import { benchParked, type P4Result } from './p4-parked';
import { benchCarrierNews, type P5Result } from './p5-carrier-news';
import { perRequestByGroup, printPerRequest, printSummary, summarize, type ProfileSummary } from './profile';
import { markdownTable } from './report';
import { startBenchStack } from './stack';

const PHASES = ['p1', 'p2', 'p3', 'p4', 'p5'] as const;
type Phase = (typeof PHASES)[number];

export interface BenchOptions {
  only: Phase[];
  startN: number;
  concurrencies: number[];
  warmup: number;
  /** P1's sides take turns in this many stretches each. */
  rounds: number;
  journeys: number;
  journeyConcurrency: number;
  parked: number;
  idleSeconds: number;
  webhookJourneys: number;
  webhookConcurrency: number;
  /** Profile the API process during P1 (node --cpu-prof); slows it, so its P1 ratios are not the bench's figures. */
  profile: boolean;
  /** P1 with the Temporal server on one core, the API and the load on the other (bench/pin.ts). */
  pin: boolean;
  keep: boolean;
  resultsDir?: string;
}

export const DEFAULTS: BenchOptions = {
  only: [...PHASES],
  startN: 2_000,
  concurrencies: [16, 64],
  warmup: 200,
  rounds: 4,
  // The issue asks for 1,000 (`--journeys 1000`): on 2 cores a whole journey costs the dev server about half a second
  // of CPU, so 1,000 journeys and 1,000 baselines alone would take most of the 15-minute budget.
  journeys: 300,
  journeyConcurrency: 32,
  parked: 1_500,
  idleSeconds: 30,
  webhookJourneys: 100,
  webhookConcurrency: 4,
  profile: false,
  pin: false,
  keep: false,
  resultsDir: path.join(__dirname, 'results'),
};

const QUICK: Partial<BenchOptions> = {
  startN: 200,
  warmup: 20,
  journeys: 40,
  parked: 100,
  idleSeconds: 10,
  webhookJourneys: 10,
};

export interface BenchRun {
  startedAt: string;
  command: string;
  machine: { cores: number; load1AtStart: number; load1AtEnd?: number; memoryGb: number };
  tree: { commit: string; uncommittedFiles: number };
  options: BenchOptions;
  price: typeof CLOUD_PRICE;
  results: { p1?: P1Result; p2?: P2Result; p3?: P3Result; p4?: P4Result; p5?: P5Result };
  /** Deaths of the Temporal server nobody asked for (the machine is shared); it was started again each time. */
  temporalExits?: string[];
  /** Phases that failed, with why (the others still ran). */
  errors?: Record<string, string>;
  minutes?: number;
  file?: string;
}

export async function runBench(o: BenchOptions, say: (m: string) => void): Promise<BenchRun> {
  const t0 = Date.now();
  const load = machineLoad();
  say(`machine: ${load.cores} cores, load ${load.load1} (1 min) at start`);
  const b = await startBenchStack(say);
  // Ctrl-C or a kill: the child processes and the temp dir go too.
  const interrupted = () =>
    void b
      .stop()
      .then(() => o.keep || removeStackDir(b.stack.dir))
      .finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const run: BenchRun = {
    startedAt: new Date(t0).toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: { cores: load.cores, load1AtStart: load.load1, memoryGb: Math.round(os.totalmem() / 2 ** 30) },
    tree: { commit: b.stack.tree.commit, uncommittedFiles: b.stack.tree.uncommittedFiles },
    options: o,
    price: CLOUD_PRICE,
    results: {},
  };
  const has = (p: Phase) => o.only.includes(p);
  // A phase that fails is recorded and the others still run: one bad phase should not cost the whole run.
  const phase = async (name: string, work: () => Promise<void>) => {
    try {
      // The machine is shared: a Temporal server that died meanwhile (killed from outside) is started again on its
      // database file, and the run says so. The services reconnect by themselves.
      const exits = b.stack.temporal.unexpectedExits.length;
      if (exits > (run.temporalExits?.length ?? 0)) {
        run.temporalExits = [...b.stack.temporal.unexpectedExits];
        say(`the Temporal server exited unexpectedly (${run.temporalExits.at(-1)}); starting it again before ${name}`);
        await b.stack.temporal.start();
      }
      await work();
    } catch (err) {
      say(`${name} failed: ${(err as Error).message}`);
      run.errors = { ...run.errors, [name]: (err as Error).message };
    }
  };
  const profileDir = path.join(b.stack.dir, 'profiles');
  const profiler = {
    NODE_OPTIONS: `--import ${path.join(__dirname, 'cpu-profile.mjs')}`,
    BENCH_CPU_PROFILE_DIR: profileDir,
  };
  /** Stops a profiled service (its profile is written when it exits), keeps the profile and prints where time went. */
  const keepProfile = async (service: typeof b.stack.api, label: string): Promise<ProfileSummary | undefined> => {
    const pid = service.pid;
    await service.stop();
    const file = path.join(profileDir, `${pid}.cpuprofile`);
    if (!existsSync(file)) {
      say(`no ${label} profile was written`);
      return undefined;
    }
    const kept = path.join(o.resultsDir ?? os.tmpdir(), `${label}-${run.startedAt.replace(/[:.]/g, '-')}.cpuprofile`);
    mkdirSync(path.dirname(kept), { recursive: true });
    writeFileSync(kept, readFileSync(file));
    say(`${label} profile: ${kept}`);
    const summary = summarize(JSON.parse(readFileSync(kept, 'utf8')));
    printSummary(summary, say);
    return summary;
  };
  try {
    if (has('p1')) {
      await phase('p1', async () => {
        let floor: ProfileSummary | undefined;
        run.results.p1 = await benchStart(
          b,
          {
            n: o.startN,
            concurrencies: o.concurrencies,
            warmup: o.warmup,
            rounds: o.rounds,
            pin: o.pin,
            ...(o.profile
              ? { env: profiler, stopFloor: async (server) => (floor = await keepProfile(server, 'bare-http-p1')) }
              : {}),
          },
          say,
        );
        if (o.profile) {
          const api = await keepProfile(b.stack.api, 'api-p1');
          const p1 = run.results.p1;
          if (api && floor) {
            const served = (side: 'api' | 'bareHttp') =>
              o.warmup + p1.runs.reduce((sum, r) => sum + (r[side]?.n ?? 0), 0);
            const [apiRequests, floorRequests] = [served('api'), served('bareHttp')];
            const rows = perRequestByGroup(api, apiRequests, floor, floorRequests);
            printPerRequest(rows, say);
            p1.profileByGroup = { apiRequests, floorRequests, rows };
          }
        }
      });
    }
    if (has('p2') || has('p3') || has('p5')) {
      await phase('demo services', () =>
        b.startServices('demo', { JOURNEY_POLICY: 'demo', ...(o.profile && has('p2') ? profiler : {}) }),
      );
      const taskQueue = 'order-journeys-chaos-demo';
      let p3: P3Result | undefined;
      await phase('p3', async () => {
        p3 = await benchHistory(b, say);
        if (has('p3') || has('p2')) run.results.p3 = p3;
      });
      if (has('p2') && p3) {
        const shape = p3.happyShape;
        const expectedMessages = p3.stories.happy.messages;
        await phase('p2', async () => {
          run.results.p2 = await benchJourneys(
            b,
            taskQueue,
            shape,
            { journeys: o.journeys, concurrency: o.journeyConcurrency, expectedMessages, timeoutMs: 5 * 60_000 },
            say,
          );
          if (o.profile) {
            await keepProfile(b.stack.worker, 'worker-p2');
            if (has('p5')) await b.startServices('demo', { JOURNEY_POLICY: 'demo' }); // P5 without the profiler
          }
        });
      }
      if (has('p5'))
        await phase(
          'p5',
          async () =>
            void (run.results.p5 = await benchCarrierNews(
              b,
              { journeys: o.webhookJourneys, concurrency: o.webhookConcurrency },
              say,
            )),
        );
    }
    if (has('p4')) {
      await phase('p4', async () => {
        await b.startServices('production', { JOURNEY_POLICY: 'production' });
        run.results.p4 = await benchParked(
          b,
          {
            parked: o.parked,
            idleSeconds: o.idleSeconds,
            cacheSize: { journey: DEFAULT_MAX_CACHED_WORKFLOWS, baseline: defaultCacheSize() },
          },
          say,
        );
      });
    }
  } finally {
    process.removeListener('SIGINT', interrupted);
    process.removeListener('SIGTERM', interrupted);
    await b.stop();
    if (!o.keep) removeStackDir(b.stack.dir);
    else say(`kept ${b.stack.dir}`);
  }
  run.machine.load1AtEnd = machineLoad().load1;
  run.minutes = Math.round((Date.now() - t0) / 6_000) / 10;
  if (o.resultsDir) {
    mkdirSync(o.resultsDir, { recursive: true });
    const stem = path.join(o.resultsDir, run.startedAt.replace(/[:.]/g, '-'));
    run.file = `${stem}.json`;
    writeFileSync(run.file, JSON.stringify(run, null, 2) + '\n');
    writeFileSync(
      `${stem}.md`,
      `# npm run bench, ${run.startedAt}\n\n\`${run.command}\` · commit ${run.tree.commit.slice(0, 10)} · load ${run.machine.load1AtStart} → ${run.machine.load1AtEnd} on ${run.machine.cores} cores · ${run.minutes} min\n\n${markdownTable(run)}\n`,
    );
  }
  return run;
}

/** The SDK's default maxCachedWorkflows for a worker with this Node's heap limit (@temporalio/worker). */
function defaultCacheSize(): number {
  const heapMiB = getHeapStatistics().heap_size_limit / 2 ** 20;
  return Math.max(Math.floor((Math.max(heapMiB - 200, 0) * 600) / 1024), 10);
}

const HELP = `npm run bench -- [flags]
  --quick                 small N everywhere (a smoke: a few minutes)
  --only p1,p3            phases to run (default: all; P2 runs P3 first for its baseline's shape)
  --starts n              P1 starts per side and concurrency (default ${DEFAULTS.startN})
  --concurrency a,b       P1 concurrencies (default ${DEFAULTS.concurrencies.join(',')})
  --rounds n              P1's sides take turns in n stretches each (default ${DEFAULTS.rounds})
  --journeys n            P2 journeys per side (default ${DEFAULTS.journeys})
  --parked n              P4 parked journeys per side (default ${DEFAULTS.parked})
  --idle s                P4 idle window in seconds (default ${DEFAULTS.idleSeconds})
  --webhooks n            P5 journeys, two events each (default ${DEFAULTS.webhookJourneys})
  --pin                   P1 with the Temporal server on CPU 0, the API and the load on CPU 1 (as on machines of
                          their own; its ratios are then not the shared machine's)
  --profile               CPU-profile the API and the bare HTTP server during P1 and the worker during P2 (their
                          figures are then not comparable)
  --keep                  keep the temp dir (logs, temporal.db)
  --no-results            write nothing to bench/results`;

export function parseArgs(argv: string[]): BenchOptions {
  const o: BenchOptions = { ...DEFAULTS, ...(argv.includes('--quick') ? QUICK : {}) };
  const numbers: Record<string, keyof BenchOptions> = {
    '--starts': 'startN',
    '--rounds': 'rounds',
    '--journeys': 'journeys',
    '--parked': 'parked',
    '--idle': 'idleSeconds',
    '--webhooks': 'webhookJourneys',
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i] ?? '';
    if (flag === '--help' || flag === '-h') {
      console.log(HELP);
      process.exit(0);
    } else if (flag === '--quick') continue;
    else if (flag === '--profile') o.profile = true;
    else if (flag === '--pin') o.pin = true;
    else if (flag === '--keep') o.keep = true;
    else if (flag === '--no-results') o.resultsDir = undefined;
    else if (flag === '--only') {
      const names = value()
        .split(',')
        .map((s) => s.trim().toLowerCase());
      const unknown = names.filter((n) => !(PHASES as readonly string[]).includes(n));
      if (unknown.length || !names.length)
        throw new Error(`unknown phase ${unknown.join(', ')}; one of ${PHASES.join(', ')}`);
      o.only = names as Phase[];
    } else if (flag === '--concurrency') {
      o.concurrencies = value().split(',').map(Number);
      if (o.concurrencies.some((c) => !Number.isInteger(c) || c < 1))
        throw new Error('--concurrency needs positive integers');
    } else if (numbers[flag]) {
      const n = Number(value());
      if (!Number.isFinite(n) || n < 1) throw new Error(`${flag} needs a positive number`);
      (o as unknown as Record<string, unknown>)[numbers[flag]] = n;
    } else throw new Error(`unknown flag ${flag}\n${HELP}`);
  }
  return o;
}

if (require.main === module) {
  let options: BenchOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  const t0 = Date.now();
  const elapsed = () =>
    `${Math.floor((Date.now() - t0) / 60_000)}:${String(Math.floor(((Date.now() - t0) / 1000) % 60)).padStart(2, '0')}`;
  runBench(options, (m) => console.log(`[bench ${elapsed()}] ${m}`)).then(
    (run) => {
      console.log(`\n${markdownTable(run)}\n`);
      console.log(
        `[bench] done in ${run.minutes} min${run.file ? `; results in ${path.relative(process.cwd(), run.file)} (and .md)` : ''}`,
      );
      process.exit(0); // the clients and the replay runtime keep handles open
    },
    (err: Error) => {
      console.error(`[bench] ${err.stack ?? err.message}`);
      process.exit(1);
    },
  );
}

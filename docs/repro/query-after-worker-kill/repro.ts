/**
 * Minimal reproduction: a query answered by a restarted worker makes the workflow's history unreplayable.
 *
 *   npx tsx docs/repro/query-after-worker-kill/repro.ts [--runs 3] [--modes query,no-query]
 *       [--sticky-timeout-ms 10000] [--max-cached 1000] [--timer-ms 6000] [--kill-before-ms 5000]
 *       [--restart-after-ms 11000] [--keep-stuck]
 *
 * Starts its own `temporal server start-dev` (the `temporal` CLI on PATH) on free ports, then per trial:
 *   1. worker A (a child process) runs `timerLoop` (workflows.ts): sleep, activity, sleep, activity, …;
 *   2. 5 s before the first timer is due, worker A is killed with SIGKILL;
 *   3. mode `query`: a query is sent at once; it waits on A's sticky queue while the timer fires and no worker is alive;
 *   4. worker B (a new child process) starts 11 s after the kill (the query has fallen back to the normal queue, the
 *      timer's workflow task is still on the sticky one); the query (if any) is answered by B;
 *   5. a signal is sent (its handler upserts a search attribute);
 *   6. the workflow runs to completion on B; its history is fetched and replayed with `Worker.runReplayHistory`.
 * Each round runs one trial per mode at the same time (own task queue each). Prints one line per trial and a summary.
 *
 * `--keep-stuck`: one `query` trial with a 4-timer loop; once worker B has recorded the signal's task, B is killed too
 * and worker C started with the same code: C replays the history and fails with the nondeterminism error on every attempt. The server and C
 * keep running (Ctrl-C ends them) so that the runbook's commands (describe, reset) can be tried on a stuck workflow.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { bump, signalsSeen } from './workflows';

const EventType = temporal.api.enums.v1.EventType;
type Mode = 'query' | 'no-query';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};
const runs = Number(arg('runs', '3'));
const modes = arg('modes', 'query,no-query').split(',') as Mode[];
const timerMs = Number(arg('timer-ms', '6000'));
const keepStuck = args.includes('--keep-stuck');
const killBeforeMs = Number(arg('kill-before-ms', '5000'));
const restartAfterMs = Number(arg('restart-after-ms', '11000'));
const workerEnv: Record<string, string> = {
  ...(args.includes('--sticky-timeout-ms') ? { STICKY_TIMEOUT_MS: arg('sticky-timeout-ms', '') } : {}),
  ...(args.includes('--max-cached') ? { MAX_CACHED: arg('max-cached', '') } : {}),
};
const outDir = mkdtempSync(path.join(tmpdir(), 'query-after-kill-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const t0 = Date.now();
const log = (tag: string, msg: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${tag} ${msg}`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const children = new Set<ChildProcess>();
function killAll() {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}
process.on('exit', killAll);
process.on('SIGINT', () => {
  killAll();
  process.exit(130);
});

async function startServer(): Promise<string> {
  const [port, httpPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
  const server = spawn(
    'temporal',
    ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--http-port', String(httpPort), '--metrics-port', String(metricsPort),
      '--headless', '--log-level', 'error', '--search-attribute', 'ReproStage=Keyword'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  children.add(server);
  server.on('exit', (code, signal) => log('[server]', `dev server exited (${code ?? signal})`));
  const address = `127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const c = await Connection.connect({ address, connectTimeout: 1000 });
      await c.workflowService.getSystemInfo({});
      await c.close();
      return address;
    } catch {
      await sleep(200);
    }
  }
  throw new Error('the dev server did not come up');
}

/** A worker in its own process, built but not yet polling: `go()` makes it poll and resolves once it does. */
async function createWorker(address: string, taskQueue: string, bundlePath: string): Promise<{ child: ChildProcess; go(): Promise<void> }> {
  const root = path.resolve(__dirname, '../../..');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'worker.ts')], {
    cwd: root,
    env: { ...process.env, ...workerEnv, ADDRESS: address, TASK_QUEUE: taskQueue, BUNDLE: bundlePath },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.add(child);
  const said = (word: string) =>
    new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().includes(word) && resolve());
      child.on('exit', (code) => reject(new Error(`worker exited early (${code})`)));
    });
  const ready = said('ready');
  ready.catch(() => {});
  await said('created');
  return {
    child,
    go: async () => {
      child.stdin!.write('go\n');
      await ready;
    },
  };
}

async function startWorker(address: string, taskQueue: string, bundlePath: string): Promise<ChildProcess> {
  const w = await createWorker(address, taskQueue, bundlePath);
  await w.go();
  return w.child;
}

let replayLock: Promise<void> = Promise.resolve();

interface TrialResult {
  mode: Mode;
  workflowId: string;
  replayed: boolean;
  failure?: string;
  queryMs?: number;
  /** Event types of the workflow task that handled the signal and the commands it produced. */
  signalTask: string;
}

async function trial(client: Client, address: string, bundlePath: string, mode: Mode, round: number, opts: { stuck?: boolean } = {}): Promise<TrialResult> {
  const taskQueue = `repro-${mode}-${round}-${Date.now()}`;
  const workflowId = `timer-loop-${mode}-${round}-${Date.now()}`;
  const tag = `[${mode} #${round}]`;
  const workerA = await startWorker(address, taskQueue, bundlePath);
  const handle = await client.workflow.start('timerLoop', { taskQueue, workflowId, args: [opts.stuck ? 4 : 3, timerMs] });
  // Wait for the first TimerStarted, then aim the kill just before it fires.
  let timerStartedAt = 0;
  while (!timerStartedAt) {
    const { events } = await handle.fetchHistory();
    if (events?.some((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED)) timerStartedAt = Date.now();
    else await sleep(50);
  }
  const due = timerStartedAt + timerMs;
  await sleep(due - killBeforeMs - Date.now());
  workerA.kill('SIGKILL');
  const killedAt = Date.now();
  log(tag, `worker A killed (SIGKILL), timer due in ~${killBeforeMs / 1000} s`);
  let query: Promise<number> | undefined;
  const querySentAt = Date.now() + 200;
  if (mode === 'query') {
    // Before the timer fires: with no workflow task pending, the server dispatches the query directly to the (dead)
    // worker's sticky queue; it falls back to the normal queue after the sticky timeout, by when TimerFired is history.
    await sleep(200);
    query = handle.query(signalsSeen);
    log(tag, 'query sent while no worker is alive, before the timer fires');
  }
  // Restart after the query has given up on the dead worker's sticky queue (10 s after it was sent) but before the
  // workflow task created by TimerFired has (10 s after the timer fired): the new worker gets the query first.
  const created = await createWorker(address, taskQueue, bundlePath);
  await sleep(killedAt + restartAfterMs - Date.now());
  await created.go();
  const workerB = created.child;
  log(tag, 'worker B polling');
  let queryMs: number | undefined;
  if (query) {
    await query;
    queryMs = Date.now() - querySentAt;
    log(tag, `query answered after ${(queryMs / 1000).toFixed(1)} s`);
  }
  await handle.signal(bump);
  log(tag, 'signal sent');
  let workerC: ChildProcess | undefined;
  if (opts.stuck) {
    // Once worker B has completed the task with the misordered commands, replace it by a worker without that cache.
    for (;;) {
      const { events } = await handle.fetchHistory();
      if (events?.some((e) => e.eventType === EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES)) break;
      await sleep(100);
    }
    await sleep(500);
    workerB.kill('SIGKILL');
    workerC = await startWorker(address, taskQueue, bundlePath);
    log(tag, `worker B killed, worker C (pid ${workerC.pid}) started: it must replay the history`);
  } else {
    await Promise.race([
      handle.result(),
      sleep(60_000).then(async () => {
        const { events } = await handle.fetchHistory();
        const types = (events ?? []).map((e) => `${e.eventId} ${String(EventType[e.eventType as number]).replace('EVENT_TYPE_', '')}`);
        throw new Error(`${workflowId} did not complete within 60 s: ${types.join(', ')}`);
      }),
    ]);
    workerB.kill('SIGKILL');
  }
  const history = await handle.fetchHistory();
  const file = path.join(outDir, `${workflowId}.json`);
  writeFileSync(file, historyToJSON(history));
  const events = history.events ?? [];
  const signalIx = events.findIndex((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
  const completedIx = events.findIndex((e, i) => i > signalIx && e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
  const name = (t: unknown) => String(EventType[t as number]).replace('EVENT_TYPE_', '');
  const signalTask = events
    .slice(Math.max(0, signalIx - 5), completedIx + 3)
    .map((e) => `${e.eventId} ${name(e.eventType)}`)
    .join(', ');
  let failure: string | undefined;
  // One replay at a time in this process (concurrent replay workers in one process tripped over each other here).
  const release = replayLock;
  let done!: () => void;
  replayLock = new Promise<void>((r) => (done = r));
  await release;
  try {
    await Worker.runReplayHistory({ workflowBundle: { codePath: bundlePath }, replayName: workflowId }, history);
  } catch (err) {
    if (!(err instanceof DeterminismViolationError)) throw err;
    failure = `${err.name}: ${/\[TMPRL1100\][^"]*/.exec(err.message)?.[0] ?? err.message}`;
  } finally {
    done();
  }
  log(tag, `${failure ? 'REPLAY FAILS' : 'replays'}  history: ${file}`);
  return { mode, workflowId, replayed: !failure, ...(failure ? { failure } : {}), ...(queryMs !== undefined ? { queryMs } : {}), signalTask };
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const address = await startServer();
  log('[setup]', `dev server at ${address}; worker settings ${JSON.stringify(workerEnv)}; histories in ${outDir}`);
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('./workflows'), logger: new DefaultLogger('ERROR') });
  const bundlePath = path.join(outDir, 'workflow-bundle.js');
  writeFileSync(bundlePath, code);
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });

  if (keepStuck) {
    const r = await trial(client, address, bundlePath, 'query', 1, { stuck: true });
    console.log(JSON.stringify(r, null, 2));
    console.log(`\nStuck workflow ${r.workflowId} on ${address}; worker C keeps retrying it. Try:\n` +
      `  temporal workflow describe --address ${address} --workflow-id ${r.workflowId}\n` +
      `Ctrl-C stops the server and the worker.`);
    await new Promise(() => {});
  }

  const results: TrialResult[] = [];
  for (let round = 1; round <= runs; round++) {
    results.push(...(await Promise.all(modes.map((m) => trial(client, address, bundlePath, m, round)))));
  }
  console.log('\n== results ==');
  for (const r of results) {
    console.log(`${r.mode.padEnd(8)} ${r.replayed ? 'replays     ' : 'REPLAY FAILS'} ${r.queryMs !== undefined ? `query ${(r.queryMs / 1000).toFixed(1)}s ` : ''}${r.failure ?? ''}`);
    console.log(`         around the signal: ${r.signalTask}`);
  }
  for (const m of modes) {
    const mine = results.filter((r) => r.mode === m);
    console.log(`${m}: ${mine.filter((r) => !r.replayed).length} of ${mine.length} failed replay`);
  }
  await connection.close();
  killAll();
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  killAll();
  process.exit(1);
});

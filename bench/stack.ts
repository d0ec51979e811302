/**
 * The bench's processes: the chaos suite's production-like split (chaos/stack.ts: Temporal dev server, the run's own
 * PostgreSQL database, SendGrid/Twilio stubs, the API and the worker as child processes) plus the bench's own bare
 * worker for the baselines (bench/baseline/worker.ts) and a bare Temporal client in this process.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { REPO_ROOT, ServiceProcess } from '../chaos/processes';
import { startStack, type Stack } from '../chaos/stack';
import { NAMESPACE } from '../chaos/temporal-server';
import { workerAllocatorEnv } from './allocator';
import type { Pids } from './meter';

export const BASELINE_TASK_QUEUE = 'bench-baseline';
export const EASYPOST_WEBHOOK_SECRET = 'bench-easypost-webhook-secret';

export interface BenchStack {
  stack: Stack;
  /** The bare worker of the baseline workflows (default options, no codec). */
  baselineWorker: ServiceProcess;
  /** A bare client: default data converter, no encryption. */
  bare: Client;
  /** Processes whose CPU the bench records: API, worker, Temporal, the bare worker and this process. */
  pids(): Pids;
  /** The allocator the journey worker runs on: jemalloc preloaded as in its image, or glibc's where not installed. */
  allocator: 'jemalloc' | 'glibc';
  /** Starts the API and the worker (on its image's allocator) on a task queue of the phase's own. */
  startServices(label: string, env?: NodeJS.ProcessEnv): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The run's state goes to memory (tmpfs) where the machine has one: the dev server's SQLite file syncs every commit,
 * and on a shared VM's disk those syncs made the server wait on I/O (25-50 % iowait seen here), for both sides of every
 * ratio alike. The bench measures the service against bare Temporal, not the disk; a real cluster's persistence is
 * its own measurement (docs/capacity.md).
 */
const BENCH_STATE_ROOT = existsSync('/dev/shm') ? '/dev/shm' : undefined;

export async function startBenchStack(say: (msg: string) => void): Promise<BenchStack> {
  const stack = await startStack(say, {
    built: true,
    databaseProxy: false,
    ...(BENCH_STATE_ROOT ? { stateRoot: BENCH_STATE_ROOT } : {}),
  });
  try {
    const baselineWorker = new ServiceProcess({
      name: 'baseline-worker',
      cwd: REPO_ROOT,
      script: 'bench/baseline/worker.ts',
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        BENCH_TEMPORAL_ADDRESS: stack.temporal.address,
        BENCH_NAMESPACE: NAMESPACE,
        BENCH_TASK_QUEUE: BASELINE_TASK_QUEUE,
      },
      logFile: path.join(stack.dir, 'baseline-worker.log'),
      readyLine: 'bench worker started',
    });
    await baselineWorker.start();
    const bare = new Client({
      connection: await Connection.connect({ address: stack.temporal.address }),
      namespace: NAMESPACE,
    });
    const temporalPid = () => {
      try {
        return Number(readFileSync(path.join(stack.dir, 'temporal.pid'), 'utf8')) || undefined;
      } catch {
        return undefined;
      }
    };
    const worker = workerAllocatorEnv();
    say(
      `the journey worker runs on ${worker.allocator}${worker.allocator === 'glibc' ? ' (libjemalloc2 not installed; its image preloads jemalloc)' : ', as its image'}`,
    );
    return {
      stack,
      allocator: worker.allocator,
      baselineWorker,
      bare,
      pids: () => ({
        api: stack.api.serving ? stack.api.pid : undefined,
        worker: stack.worker.serving ? stack.worker.pid : undefined,
        temporal: temporalPid(),
        baselineWorker: baselineWorker.pid,
        bench: process.pid,
      }),
      startServices: (label, env = {}) => stack.startServices(label, { ...serviceEnv(), ...env }, worker.env),
      stop: async () => {
        await bare.connection.close().catch(() => {});
        await baselineWorker.stop();
        await stack.stop();
      },
    };
  } catch (err) {
    await stack.stop();
    throw err;
  }
}

/** What the bench adds to the chaos suite's environment: EasyPost webhooks signed with a known secret (P5). */
function serviceEnv(): NodeJS.ProcessEnv {
  return {
    EASYPOST_API_KEY: 'EZTKbench0000000000000000',
    EASYPOST_WEBHOOK_SECRET,
    // Never called: CARRIER_TRACKING_PROVIDER stays "none" (no tracker registration, no polling); webhooks only.
    EASYPOST_BASE_URL: 'http://127.0.0.1:9/v2',
  };
}

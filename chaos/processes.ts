/**
 * The API and the worker as separate child processes (`node --import tsx src/server.ts` / `src/worker.ts`), the way
 * they run in production: env-configured, killable with SIGKILL, restarted by a small supervisor when they die on their
 * own (as an orchestrator would), and every one of them stopped when the suite ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const REPO_ROOT = path.resolve(__dirname, '..');

export interface ServiceOptions {
  name: string;
  /** The tree to run from (the run's snapshot of the repository). */
  cwd: string;
  /** Relative to `cwd`, e.g. "src/worker.ts" (run with tsx) or "dist/worker.js". */
  script: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** Resolves true once the process serves; polled, or fed every output line (see `readyLine`). */
  ready?: () => Promise<boolean>;
  /** A text in the process's output that means it serves. */
  readyLine?: string;
  startTimeoutMs?: number;
}

/** Children alive anywhere in this process: killed synchronously if the suite exits without stopping them. */
const alive = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of alive) child.kill('SIGKILL');
});

export class ServiceProcess {
  private child?: ChildProcess;
  private exited?: Promise<void>;
  private expectedExit = false;
  private stopped = false;
  private readonly log: WriteStream;
  /** Deaths nobody asked for (crash, exit on a lost connection), each followed by a supervisor restart. */
  readonly unexpectedExits: { at: number; how: string }[] = [];
  kills = 0;
  /** The last error-looking line of its output: why it died, when it dies by itself. */
  private lastError?: string;
  /** Started and ready, and not exited since. */
  serving = false;

  constructor(private readonly options: ServiceOptions) {
    this.log = createWriteStream(options.logFile, { flags: 'a' });
  }

  get name(): string {
    return this.options.name;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the process and waits until it serves. */
  async start(): Promise<void> {
    const { script, env, readyLine, name, cwd } = this.options;
    this.expectedExit = false;
    this.lastError = undefined;
    let sawReadyLine = false;
    let served = false;
    const args = script.endsWith('.ts') ? ['--import', 'tsx', script] : [script]; // built code runs without tsx
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    alive.add(child);
    const onOutput = (chunk: Buffer) => {
      this.log.write(chunk);
      for (const line of chunk.toString().split('\n'))
        if (/^\w*Error\b|FATAL|"level":60/.test(line)) this.lastError = line.slice(0, 200);
      if (readyLine && !sawReadyLine && chunk.toString().includes(readyLine)) sawReadyLine = true;
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        alive.delete(child);
        this.serving = false;
        this.log.write(`\n[chaos] ${name} exited (${signal ?? `code ${code}`})\n`);
        resolve();
        // Only a process that had served: one dying during start() fails that start() instead.
        if (served && !this.expectedExit && !this.stopped)
          void this.superviseRestart(`${signal ?? `code ${code}`}${this.lastError ? `: ${this.lastError}` : ''}`);
      });
    });

    const deadline = Date.now() + (this.options.startTimeoutMs ?? 180_000);
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`${name} exited while starting; see ${this.options.logFile}`);
      if (readyLine ? sawReadyLine : await this.options.ready?.().catch(() => false)) {
        served = true;
        this.serving = true;
        return;
      }
      if (Date.now() > deadline) {
        this.expectedExit = true;
        child.kill('SIGKILL');
        throw new Error(`${name} did not become ready in time; see ${this.options.logFile}`);
      }
      await sleep(200);
    }
  }

  /** Sends a signal and waits for the process to go (SIGKILL: no clean-up at all in the child). */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.expectedExit = true;
    this.kills += 1;
    this.log.write(`\n[chaos] sending ${signal} to ${this.name} (pid ${child.pid})\n`);
    child.kill(signal);
    const gone = await Promise.race([this.exited!.then(() => true), sleep(20_000, false, { ref: false })]);
    if (!gone) {
      child.kill('SIGKILL');
      await this.exited;
    }
  }

  async restart(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.kill(signal);
    await this.startPersistently();
  }

  /** Starts, trying again every 2 s for up to `forMs` when it dies while starting (a dependency may be down). */
  async startPersistently(forMs = 120_000): Promise<void> {
    const deadline = Date.now() + forMs;
    for (;;) {
      try {
        return await this.start();
      } catch (err) {
        if (Date.now() > deadline || this.stopped) throw err;
        this.log.write(`\n[chaos] ${this.name} did not start (${(err as Error).message}); trying again\n`);
        await sleep(2_000);
      }
    }
  }

  /** Graceful stop (SIGTERM, then SIGKILL after 10 s); no supervisor restart after this. */
  async stop(): Promise<void> {
    this.stopped = true;
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      this.expectedExit = true;
      child.kill('SIGTERM');
      if (!(await Promise.race([this.exited!.then(() => true), sleep(10_000, false, { ref: false })]))) {
        child.kill('SIGKILL');
        await this.exited;
      }
    }
    await new Promise<void>((resolve) => this.log.end(() => resolve()));
  }

  private async superviseRestart(how: string): Promise<void> {
    this.unexpectedExits.push({ at: Date.now(), how });
    // Like an orchestrator: try again every few seconds until it serves (its dependencies may still be down).
    while (!this.stopped && !this.expectedExit) {
      await sleep(2_000);
      if (this.stopped || this.expectedExit) return;
      try {
        await this.start();
        return;
      } catch (err) {
        this.log.write(`\n[chaos] supervisor could not restart ${this.name}: ${(err as Error).message}\n`);
      }
    }
  }
}

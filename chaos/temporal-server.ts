/**
 * The Temporal dev server with a persistent SQLite file in the run's temp dir, started as
 * scripts/temporal-dev-server.ts starts it (custom search attributes registered), and killable with SIGKILL then
 * restarted on the same file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findTemporalBinary } from '../src/temporal/binaries';
import { journeySearchAttributes } from '../src/workflows/search-attributes';
import {
  ensureSearchAttributes,
  startTemporalDevServer,
  waitForTemporal,
  type TemporalDevServer,
} from '../scripts/temporal-dev-server';

export const NAMESPACE = 'default';

export class ChaosTemporalServer {
  private server?: TemporalDevServer;
  private killing = false;
  readonly unexpectedExits: string[] = [];
  kills = 0;

  constructor(
    private readonly dir: string,
    readonly port: number,
    private readonly uiPort: number,
    private readonly say: (msg: string) => void,
  ) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const cli = findTemporalBinary('cli', { log: this.say });
    if (!cli) throw new Error('Temporal CLI not found: run `npm run temporal:binaries` or set TEMPORAL_CLI_PATH');
    this.killing = false;
    this.server = await startTemporalDevServer({
      cli,
      dir: this.dir,
      port: this.port,
      uiPort: this.uiPort,
      namespace: NAMESPACE,
      searchAttributes: journeySearchAttributes,
      log: () => {},
      onUnexpectedExit: (message) => {
        if (!this.killing) this.unexpectedExits.push(message.split('\n')[0]!);
      },
    });
    const connection = await waitForTemporal({ address: this.address }, NAMESPACE, { timeoutMs: 90_000 });
    try {
      await ensureSearchAttributes(connection, NAMESPACE, journeySearchAttributes);
    } finally {
      await connection.close();
    }
  }

  /** SIGKILL: the server gets no chance to flush anything but what SQLite already committed. */
  async kill(): Promise<void> {
    const pid = this.pid();
    if (!pid) throw new Error('no pid file for the Temporal dev server');
    this.killing = true;
    this.kills += 1;
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(100);
  }

  /**
   * SIGTERM and wait here, so that the dev-server helper's stop() finds its child gone and leaves no 20-second timer
   * behind (which would keep a jest worker alive after the smoke test).
   */
  async stop(): Promise<void> {
    this.killing = true;
    const pid = this.pid();
    if (pid && isAlive(pid)) {
      process.kill(pid, 'SIGTERM');
      for (let i = 0; i < 200 && isAlive(pid); i++) await sleep(100);
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      await sleep(200); // let the child's exit event arrive
    }
    await this.server?.stop();
  }

  private pid(): number | undefined {
    try {
      return Number(readFileSync(path.join(this.dir, 'temporal.pid'), 'utf8')) || undefined;
    } catch {
      return undefined;
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Temporal CLI's dev server (`temporal server start-dev`, Web UI included) as a child of the dev script, its state
 * kept in a SQLite file so workflows survive restarts.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection, type ConnectionOptions } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { isPortFree } from './ports';

export interface SearchAttributeDefinition {
  name: string;
  type: SearchAttributeType;
}

export interface TemporalDevServerOptions {
  /** The `temporal` executable. */
  cli: string;
  /** Holds temporal.db (the state), temporal.log and temporal.pid. */
  dir: string;
  port: number;
  uiPort: number;
  namespace: string;
  searchAttributes: readonly SearchAttributeDefinition[];
  /** The codec server the Web UI calls to show encrypted payloads decoded. */
  codecEndpoint?: string;
  log: (msg: string) => void;
  /** The server stopped without being asked to; the message includes the end of its log. */
  onUnexpectedExit: (message: string) => void;
}

export interface TemporalDevServer {
  address: string;
  uiUrl: string;
  stop: () => Promise<void>;
}

/** Starts the server and returns at once; `waitForTemporal` tells when it answers. */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const { cli, dir, port, uiPort, namespace, log } = options;
  const dbFile = path.join(dir, 'temporal.db');
  const logFile = path.join(dir, 'temporal.log');
  const pidFile = path.join(dir, 'temporal.pid');

  await stopLeftover(pidFile, dbFile, log);
  for (const [p, name] of [
    [port, 'TEMPORAL_PORT'],
    [uiPort, 'TEMPORAL_UI_PORT'],
  ] as const) {
    // Another server on the port would answer our readiness check while ours fails to start.
    if (!(await isPortFree(p, '127.0.0.1'))) {
      throw new Error(
        `port ${p} is in use (a Temporal server already running?): stop it, set ${name}, or use it with TEMPORAL_ADDRESS=127.0.0.1:${p}`,
      );
    }
  }

  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort)];
  args.push('--db-filename', dbFile, '--namespace', namespace, '--log-level', 'warn');
  for (const { name, type } of options.searchAttributes)
    args.push('--search-attribute', `${name}=${cliTypeName(type)}`);
  if (options.codecEndpoint) args.push('--ui-codec-endpoint', options.codecEndpoint);

  log(`starting the Temporal dev server (${cli}); log in ${path.relative(process.cwd(), logFile)}`);
  const logFd = openSync(logFile, 'w');
  // Own process group: a Ctrl-C in the terminal reaches only the dev script, which stops the worker before the server.
  const child = spawn(cli, args, { detached: true, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  if (child.pid) writeFileSync(pidFile, String(child.pid));

  let stopping = false;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve();
      if (!stopping)
        options.onUnexpectedExit(
          `the Temporal dev server exited (${signal ?? `code ${code}`}); its log ends:\n${tail(logFile)}`,
        );
    });
  });
  child.once('error', (err) => options.onUnexpectedExit(`could not run ${cli}: ${err.message}`));
  const stopOnExit = () => child.kill('SIGTERM');
  process.once('exit', stopOnExit); // if the dev script dies first, the server still stops

  return {
    address: `127.0.0.1:${port}`,
    uiUrl: `http://localhost:${uiPort}`,
    stop: async () => {
      stopping = true;
      process.removeListener('exit', stopOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        if (!(await Promise.race([exited.then(() => true), sleep(20_000, false)]))) child.kill('SIGKILL');
      }
      rmSync(pidFile, { force: true });
    },
  };
}

/** Connects as soon as the frontend answers for `namespace`. */
export async function waitForTemporal(
  connectionOptions: ConnectionOptions,
  namespace: string,
  { signal, timeoutMs = 60_000 }: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<Connection> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ ...connectionOptions, connectTimeout: '2s' });
      await connection.workflowService.describeNamespace({ namespace });
      return connection;
    } catch (err) {
      await connection?.close().catch(() => {});
      if (Date.now() > deadline) {
        throw new Error(
          `Temporal at ${connectionOptions.address} did not answer within ${timeoutMs / 1000} s: ${(err as Error).message}`,
          { cause: err },
        );
      }
    }
    await sleep(250);
  }
}

/**
 * The CLI registers `--search-attribute`s only when it creates the namespace: with an existing db file, a key added
 * to the code since then would be missing. Adds those, and refuses a key that exists with another type.
 */
export async function ensureSearchAttributes(
  connection: Connection,
  namespace: string,
  keys: readonly SearchAttributeDefinition[],
): Promise<string[]> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing: Record<string, number> = {};
  for (const { name, type } of keys) {
    const wanted = encodeSearchAttributeIndexedValueType(type);
    const existing = customAttributes?.[name];
    if (existing === undefined && wanted !== undefined) missing[name] = wanted;
    else if (existing !== wanted) throw new Error(`search attribute ${name} exists with a type other than ${type}`);
  }
  if (Object.keys(missing).length > 0)
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  return Object.keys(missing);
}

/** A run killed outright (SIGKILL) leaves its server holding the ports and the db file: stop that one first. */
async function stopLeftover(pidFile: string, dbFile: string, log: (msg: string) => void): Promise<void> {
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : 0;
  rmSync(pidFile, { force: true });
  if (!pid) return;
  try {
    // Only a dev server on our db file: the pid may have been reused by some other process since.
    const command = execFileSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' });
    if (!command.includes('start-dev') || !command.includes(dbFile)) return;
  } catch {
    return; // no such process
  }
  log(`stopping the Temporal dev server a previous run left running (pid ${pid})`);
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 80 && isAlive(pid); i++) await sleep(250);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `KEYWORD_LIST` → `KeywordList`, as the CLI spells search attribute types. */
function cliTypeName(type: SearchAttributeType): string {
  return type.toLowerCase().replace(/(^|_)(\w)/g, (_match, _sep, letter: string) => letter.toUpperCase());
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

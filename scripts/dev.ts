/**
 * `npm run dev` (`npm run dev -- --demo` for the seconds-for-days journey policy): the whole stack in one process,
 * offline.
 *
 * Starts a Temporal dev server (unless TEMPORAL_ADDRESS names one) and an embedded PostgreSQL (unless DATABASE_URL is
 * set), both keeping their state in .dev/, migrates, then runs the worker and the API in this process. Ctrl-C stops
 * everything in reverse order; a second Ctrl-C exits at once.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { Client as PgClient } from 'pg';
import { loadConfig, loadConfigOrExit, type Config } from '../src/config';
import { migrate } from '../src/db/migrate';
import { createPool } from '../src/db/pool';
import { resolvePolicy } from '../src/domain/policy';
import { createLogger } from '../src/logger';
import { buildApi, listen } from '../src/server';
import { findTemporalBinary } from '../src/temporal/binaries';
import { connectClient, connectionOptions } from '../src/temporal/connection';
import { createJourneyWorker } from '../src/worker';
import { journeySearchAttributes } from '../src/workflows/search-attributes';
import { startDevPostgres } from './embedded-postgres';
import { isPortFree } from './ports';
import { ensureSearchAttributes, startTemporalDevServer, waitForTemporal } from './temporal-dev-server';

const DEV_DIR = path.resolve(__dirname, '..', '.dev');
const DATABASE_NAME = 'order_journeys';

const say = (msg: string) => console.log(`[dev] ${msg}`);

// ---- Lifecycle: what has started (stopped newest first), and whether and why we are stopping.

const started: { name: string; stop: () => Promise<void> }[] = [];
const stopRequest = new AbortController();
let exitCode = 0;
let running = false;
let stopping: Promise<void> | undefined;

class StopRequested extends Error {}

/** Records a started component. During start-up, also where a Ctrl-C or a failure takes effect. */
function onStarted(name: string, stop: () => Promise<void>): void {
  started.push({ name, stop });
  stopRequest.signal.throwIfAborted();
}

let firstSignalAt = 0;

/** Signals (code 0) and failures (code 1) end up here. During start-up, the next step picks the request up. */
function requestStop(code: number, message?: string): void {
  if (message) console.error(`[dev] ${message}`);
  if (stopRequest.signal.aborted) {
    exitCode ||= code;
    // tsx's parent process relays a Ctrl-C that we already got from the terminal: the same keypress, not a second one.
    if (code === 0 && Date.now() - firstSignalAt > 1_000) {
      say('second signal: exiting now');
      process.exit(130);
    }
    return;
  }
  exitCode = code;
  if (code === 0) firstSignalAt = Date.now();
  stopRequest.abort(new StopRequested());
  if (code === 0) say('stopping (press Ctrl-C again to exit at once)');
  if (running) void stopAllAndExit();
}

function stopAllAndExit(): Promise<void> {
  stopping ??= (async () => {
    for (const { name, stop } of started.reverse()) {
      try {
        await stop();
        say(`stopped ${name}`);
      } catch (err) {
        console.error(`[dev] could not stop ${name}: ${errorMessage(err)}`);
        exitCode ||= 1;
      }
    }
    process.exit(exitCode);
  })();
  return stopping;
}

// ---- The stack

async function startTemporal(config: Config, port: number, uiPort: number): Promise<string> {
  const cli = findTemporalBinary('cli', { log: say });
  if (!cli) {
    throw new Error(
      'Temporal CLI not found: run `npm run temporal:binaries` once, set TEMPORAL_CLI_PATH, or set TEMPORAL_ADDRESS to use a running server',
    );
  }
  const server = await startTemporalDevServer({
    cli,
    dir: DEV_DIR,
    port,
    uiPort,
    namespace: config.temporal.namespace,
    searchAttributes: journeySearchAttributes,
    codecEndpoint: `http://localhost:${config.port}/codec`,
    log: say,
    onUnexpectedExit: (message) => requestStop(1, message),
  });
  onStarted('Temporal dev server', server.stop);
  return server.uiUrl;
}

async function checkTemporal(config: Config, ownServer: boolean): Promise<void> {
  const connection = await waitForTemporal(connectionOptions(config.temporal), config.temporal.namespace, {
    signal: stopRequest.signal,
  });
  try {
    const added = await ensureSearchAttributes(connection, config.temporal.namespace, journeySearchAttributes);
    if (added.length) say(`registered search attributes ${added.join(', ')}`);
  } catch (err) {
    const hint = ownServer
      ? 'delete .dev/temporal.db to start afresh'
      : `journeys need ${journeySearchAttributes.map((k) => `${k.name} (${k.type})`).join(', ')}`;
    if (ownServer) throw new Error(`${errorMessage(err)}: ${hint}`, { cause: err });
    say(`could not check the search attributes on ${config.temporal.address} (${errorMessage(err)}); ${hint}`);
  } finally {
    await connection.close();
  }
}

/** Embedded PostgreSQL with an `order_journeys` database; returns that database's URL. */
async function startPostgres(): Promise<string> {
  const postgres = await startDevPostgres({
    dir: path.join(DEV_DIR, 'pg'),
    port: portFromEnv('DEV_POSTGRES_PORT', 5433),
    log: say,
  });
  onStarted('PostgreSQL', postgres.stop);
  const admin = new PgClient({ connectionString: postgres.url });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${DATABASE_NAME}`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgres.url);
  url.pathname = `/${DATABASE_NAME}`;
  return url.toString();
}

async function startStack(startedAt: number): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (process.argv.includes('--demo')) env.JOURNEY_POLICY = 'demo';
  const ownTemporal = !env.TEMPORAL_ADDRESS;
  // The local Web UI has no login: let it decode payloads through the codec server without a support key.
  if (ownTemporal) env.CODEC_OPEN_IN_DEV ??= 'true';
  const temporalPort = portFromEnv('TEMPORAL_PORT', 7233);
  const uiPort = portFromEnv('TEMPORAL_UI_PORT', 8233);
  if (ownTemporal) env.TEMPORAL_ADDRESS = `127.0.0.1:${temporalPort}`;
  // The embedded database's URL is known only once it runs: check everything else before starting anything.
  const preliminary = loadConfigOrExit({ ...env, DATABASE_URL: env.DATABASE_URL || 'postgres://embedded/pending' });
  if (!(await isPortFree(preliminary.port)))
    throw new Error(`port ${preliminary.port} for the API is in use: stop what holds it or set PORT`);
  mkdirSync(DEV_DIR, { recursive: true });
  if (ownTemporal || !env.DATABASE_URL) claimDevDir();

  // 1. Temporal
  const temporalUi = ownTemporal ? await startTemporal(preliminary, temporalPort, uiPort) : undefined;
  if (!ownTemporal) say(`using the Temporal server at ${env.TEMPORAL_ADDRESS}`);
  await checkTemporal(preliminary, ownTemporal);

  // 2-3. PostgreSQL and the schema
  env.DATABASE_URL ||= await startPostgres();
  const config = loadConfig(env);
  const applied = await migrate(config.databaseUrl).catch((err: unknown) => {
    throw new Error(`could not migrate ${withoutPassword(config.databaseUrl)}: ${errorMessage(err)}`);
  });
  say(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');
  stopRequest.signal.throwIfAborted();

  // 4. Worker and API, in this process
  Runtime.install({ shutdownSignals: [] }); // this script, not the SDK, decides the order things stop in
  const pool = createPool(config.databaseUrl);
  onStarted('database pool', () => pool.end());
  const client = await connectClient(config.temporal);
  onStarted('Temporal client', () => client.connection.close());
  const workerConnection = await NativeConnection.connect(connectionOptions(config.temporal));
  onStarted('worker connection', () => workerConnection.close());
  const worker = await createJourneyWorker(config, pool, workerConnection);
  const workerRun = worker.run();
  workerRun.catch((err) => requestStop(1, `the worker failed: ${errorMessage(err)}`));
  onStarted('worker', async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await workerRun;
  });
  const policy = resolvePolicy(config.journeyPolicy, config.journeyPolicyOverrides);
  const server = await listen(buildApi(config, pool, client, policy, createLogger({ name: 'api' })), config.port);
  onStarted('API', () => {
    const closed = new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    server.closeIdleConnections();
    return closed;
  });

  // 5. Where to go
  printBanner(config, temporalUi, policy.name, (Date.now() - startedAt) / 1000);
}

function printBanner(config: Config, temporalUi: string | undefined, policyName: string, seconds: number): void {
  const api = `http://localhost:${config.port}`;
  const logs = [temporalUi && '.dev/temporal.log', !process.env.DATABASE_URL && '.dev/pg/postgres.log'].filter(Boolean);
  const configured = (role: 'checkout' | 'support') => Boolean(process.env[`API_KEYS_${role.toUpperCase()}`]);
  const keyOf = (role: 'checkout' | 'support') =>
    configured(role) ? `(from API_KEYS_${role.toUpperCase()})` : config.apiKeys[role][0];
  const order = {
    orderId: `dev-${Date.now().toString(36)}`,
    customerId: 'cus-1',
    email: 'anna@example.com',
    items: [{ sku: 'SERUM-30', name: 'Vitamin C serum', quantity: 1, unitPrice: '24.50' }],
    currency: 'EUR',
    total: '24.50',
    placedAt: new Date().toISOString(),
  };
  console.log(`
Order Journeys dev stack is up in ${seconds.toFixed(1)} s (journey policy: ${policyName})

  API            ${api}
  Temporal UI    ${temporalUi ?? `(the UI of ${config.temporal.address})`}
  Outbox         ${config.env === 'production' ? '(off in production)' : `${api}/outbox`}
  API keys       checkout: ${keyOf('checkout')}   support: ${keyOf('support')}${logs.length ? `\n  Logs           ${logs.join(', ')}` : ''}

Start a journey:
  curl -s -XPOST ${api}/v1/orders -H ${configured('checkout') ? '"authorization: Bearer $CHECKOUT_KEY"' : `'authorization: Bearer ${config.apiKeys.checkout[0]}'`} \\
    -H 'content-type: application/json' -d '${JSON.stringify(order)}'

Ctrl-C stops everything.
`);
}

// ---- Helpers

/** One dev stack per checkout: a second one would take the first one's servers for leftovers and stop them. */
function claimDevDir(): void {
  const lockFile = path.join(DEV_DIR, 'dev.pid');
  const other = existsSync(lockFile) ? Number(readFileSync(lockFile, 'utf8')) : 0;
  if (other && other !== process.pid && commandOf(other)?.includes('scripts/dev')) {
    throw new Error(
      `another \`npm run dev\` (pid ${other}) is using .dev/: stop it first, or point this one at it with TEMPORAL_ADDRESS and DATABASE_URL`,
    );
  }
  writeFileSync(lockFile, String(process.pid));
  process.once('exit', () => rmSync(lockFile, { force: true }));
}

function commandOf(pid: number): string | undefined {
  try {
    return execFileSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' });
  } catch {
    return undefined; // no such process
  }
}

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const port = raw ? Number(raw) : fallback;
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new Error(`${name} must be a port number, not "${raw}"`);
  return port;
}

function withoutPassword(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  if (url.password) url.password = '***';
  return url.toString();
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => requestStop(0));
  try {
    await startStack(startedAt);
  } catch (err) {
    if (!(err instanceof StopRequested)) requestStop(1, `could not start the dev stack: ${errorMessage(err)}`);
    await stopAllAndExit();
    return;
  }
  running = true;
  if (stopRequest.signal.aborted) await stopAllAndExit(); // a stop requested during the last step
}

void main();

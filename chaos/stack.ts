/**
 * The production-like split the suite runs against, all on 127.0.0.1: the Temporal dev server (persistent db file),
 * the run's own PostgreSQL database behind a cuttable proxy, SendGrid and Twilio stubs (and Resend and Vonage ones for
 * the failover scenario), and the API and the worker as
 * separate child processes configured only through the environment, with the demo policy.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DEV_ENCRYPTION_KEYS } from '../src/config';
import { encryptedDataConverter } from '../src/temporal/data-converter';
import { parseKeyRing } from '../src/temporal/encryption-codec';
import { freePort } from '../scripts/ports';
import { createChaosDatabase, type ChaosDatabase } from './database';
import { startPgProxy, type PgProxy } from './pg-proxy';
import { REPO_ROOT, ServiceProcess } from './processes';
import { startProviderStub, type ProviderStub } from './provider-stubs';
import { ChaosTemporalServer, NAMESPACE } from './temporal-server';

export const CHAOS_KEYS = { checkout: 'chaos-checkout-key', support: 'chaos-support-key' } as const;
export const TASK_QUEUE = 'order-journeys-chaos';
/** The suite's payload keys: the published dev key, so histories can be decoded and replayed here. */
export const ENCRYPTION_KEYS = DEV_ENCRYPTION_KEYS;

export interface Stack {
  dir: string;
  /** The copy of the service's code every API and worker start of this run uses (see snapshotTree). */
  tree: { root: string; commit: string; uncommittedFiles: number };
  apiUrl: string;
  /** The journey worker's Temporal SDK metrics (Prometheus text; bench/sdk-metrics.ts reads them). */
  workerSdkMetricsUrl: string;
  temporal: ChaosTemporalServer;
  database: ChaosDatabase;
  /** The cuttable proxy between the services and PostgreSQL; absent when the stack was asked to go direct. */
  pgProxy?: PgProxy;
  sendgrid: ProviderStub;
  twilio: ProviderStub;
  /** SendGrid's and Twilio's failover providers: used only by scenarios that start the services with `failoverEnv`. */
  resend: ProviderStub;
  vonage: ProviderStub;
  /** The environment that gives the services Resend and Vonage as failover providers (docs/failover.md). */
  failoverEnv: NodeJS.ProcessEnv;
  /** The current scenario's API and worker (see startServices). */
  readonly api: ServiceProcess;
  readonly worker: ServiceProcess;
  /**
   * Stops the previous scenario's API and worker and starts fresh ones on the scenario's own task queue. `env` goes to
   * both, `workerEnv` to the worker alone (e.g. the allocator its image preloads).
   */
  startServices(label: string, env?: NodeJS.ProcessEnv, workerEnv?: NodeJS.ProcessEnv): Promise<void>;
  /** The suite's own Temporal client (decrypting payloads with the dev keys). */
  client(): Promise<Client>;
  stop(options?: { keepDatabase?: boolean }): Promise<void>;
}

export interface StackOptions {
  /** A PostgreSQL server to create the run's database on (DATABASE_URL's by default). */
  databaseServerUrl?: string;
  /**
   * Run the API and the worker as a built image does (`npm run build`, then `node dist/server.js` / `dist/worker.js`
   * with the prebuilt workflow bundle) instead of from source with tsx: what the bench measures.
   */
  built?: boolean;
  /** Where the run's temp dir goes (the dev server's SQLite file, logs, the tree's snapshot); default os.tmpdir(). */
  stateRoot?: string;
  /**
   * False: the services reach PostgreSQL directly, as in production, instead of through the proxy the suite cuts for
   * its database outage (the bench: the proxy's copying is the suite's cost, not the service's). Default true.
   */
  databaseProxy?: boolean;
}

export async function startStack(say: (msg: string) => void, options: StackOptions = {}): Promise<Stack> {
  const { databaseServerUrl, built = false, stateRoot = os.tmpdir(), databaseProxy = true } = options;
  const dir = mkdtempSync(path.join(stateRoot, 'order-journeys-chaos-'));
  const cleanups: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err: Error) => say(`clean-up: ${err.message}`));
  };
  try {
    say(`state and logs in ${dir}`);
    const tree = snapshotTree(dir);
    say(
      `running the code of ${tree.commit.slice(0, 10)}${tree.uncommittedFiles ? ` + ${tree.uncommittedFiles} uncommitted files` : ''} (snapshot in ${tree.root})`,
    );
    if (built) {
      const t0 = Date.now();
      await promisify(execFile)('npm', ['run', '--silent', 'build'], { cwd: tree.root });
      say(`built the snapshot (tsc and the workflow bundle) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    const temporal = new ChaosTemporalServer(dir, await freePort(), await freePort(), say);
    cleanups.push(() => temporal.stop());
    await temporal.start();
    say(`Temporal dev server on ${temporal.address} (db ${path.join(dir, 'temporal.db')})`);

    const database = await createChaosDatabase(databaseServerUrl);
    let keepDatabase = false;
    cleanups.push(() => (keepDatabase ? Promise.resolve() : database.drop()));
    // The service's own migration process, as a deployment runs it before the API and the worker.
    await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/migrate.ts'], {
      cwd: tree.root,
      env: { PATH: process.env.PATH, DATABASE_URL: database.url, LOG_LEVEL: 'warn' },
    });
    const pgProxy = databaseProxy ? await startPgProxy({ host: database.host, port: database.port }) : undefined;
    if (pgProxy) cleanups.push(() => pgProxy.stop());
    say(
      `database ${database.name}, reached by the services ${pgProxy ? `through 127.0.0.1:${pgProxy.port}` : 'directly'}`,
    );

    const sendgrid = await startProviderStub('sendgrid');
    const twilio = await startProviderStub('twilio');
    const resend = await startProviderStub('resend');
    const vonage = await startProviderStub('vonage');
    cleanups.push(
      () => sendgrid.stop(),
      () => twilio.stop(),
      () => resend.stop(),
      () => vonage.stop(),
    );
    const failoverEnv: NodeJS.ProcessEnv = {
      RESEND_API_KEY: 're_chaos_suite_fake_key',
      RESEND_FROM: 'shop@example.com',
      RESEND_BASE_URL: resend.url,
      VONAGE_API_KEY: 'chaos123',
      VONAGE_API_SECRET: 'chaos-suite-fake-secret',
      VONAGE_FROM: '+14155550100',
      VONAGE_BASE_URL: vonage.url,
    };

    const apiPort = await freePort();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const workerSdkMetricsPort = await freePort();
    const baseEnv = serviceEnv({
      temporalAddress: temporal.address,
      databaseUrl: pgProxy ? database.urlVia(pgProxy.port) : database.url,
      apiUrl,
      apiPort,
      sendgridUrl: sendgrid.url,
      twilioUrl: twilio.url,
      workerMetricsPort: await freePort(),
      workerSdkMetricsPort,
    });
    let services: { worker: ServiceProcess; api: ServiceProcess } | undefined;
    const stopServices = async () => {
      if (services) await Promise.all([services.worker.stop(), services.api.stop()]);
      services = undefined;
    };
    cleanups.push(stopServices);
    const startServices = async (
      label: string,
      extraEnv: NodeJS.ProcessEnv = {},
      workerEnv: NodeJS.ProcessEnv = {},
    ) => {
      await stopServices();
      // A task queue per scenario: journeys a previous scenario left stuck (or crashing their worker) stay on theirs.
      const env = { ...baseEnv, ...extraEnv, TEMPORAL_TASK_QUEUE: `${TASK_QUEUE}-${label}` };
      const worker = new ServiceProcess({
        name: 'worker',
        cwd: tree.root,
        script: built ? 'dist/worker.js' : 'src/worker.ts',
        env: { ...env, ...workerEnv },
        logFile: path.join(dir, `worker-${label}.log`),
        readyLine: '"msg":"worker started"',
      });
      const api = new ServiceProcess({
        name: 'api',
        cwd: tree.root,
        script: built ? 'dist/server.js' : 'src/server.ts',
        env,
        logFile: path.join(dir, `api-${label}.log`),
        ready: async () => (await fetch(`${apiUrl}/healthz`)).ok,
      });
      services = { worker, api };
      const t0 = Date.now();
      await Promise.all([worker.start(), api.start()]);
      say(`  worker and API (task queue ${env.TEMPORAL_TASK_QUEUE}) up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    };
    const current = () => {
      if (!services) throw new Error('no services started');
      return services;
    };

    let client: Client | undefined;
    cleanups.push(async () => {
      await client?.connection.close();
    });
    return {
      dir,
      tree,
      apiUrl,
      workerSdkMetricsUrl: `http://127.0.0.1:${workerSdkMetricsPort}/metrics`,
      temporal,
      database,
      pgProxy,
      sendgrid,
      twilio,
      resend,
      vonage,
      failoverEnv,
      get api() {
        return current().api;
      },
      get worker() {
        return current().worker;
      },
      startServices,
      client: async () => {
        client ??= new Client({
          connection: await Connection.connect({ address: temporal.address }),
          namespace: NAMESPACE,
          dataConverter: encryptedDataConverter(parseKeyRing(ENCRYPTION_KEYS)),
        });
        return client;
      },
      stop: async ({ keepDatabase: keep = false } = {}) => {
        keepDatabase = keep;
        await stopAll();
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/**
 * Copies src/ (and what tsx needs) into the run's dir, so that every worker start and the replay check run the same
 * code even while people keep editing the working tree: a worker restarted on newer workflow code would make
 * running journeys fail replay, which says nothing about the code under test.
 */
function snapshotTree(dir: string): Stack['tree'] {
  const root = path.join(dir, 'tree');
  mkdirSync(root);
  cpSync(path.join(REPO_ROOT, 'src'), path.join(root, 'src'), { recursive: true });
  for (const file of ['package.json', 'tsconfig.json', 'tsconfig.build.json'])
    cpSync(path.join(REPO_ROOT, file), path.join(root, file));
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  let commit = 'unknown';
  let uncommittedFiles = 0;
  try {
    commit = git('rev-parse', 'HEAD');
    uncommittedFiles = git('status', '--porcelain', '--', 'src').split('\n').filter(Boolean).length;
  } catch {
    // not a git checkout
  }
  return { root, commit, uncommittedFiles };
}

/** Removes the run's temp dir (Temporal's db file and the logs); kept when the caller wants to look at the logs. */
export function removeStackDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

interface EnvInputs {
  temporalAddress: string;
  databaseUrl: string;
  apiUrl: string;
  apiPort: number;
  sendgridUrl: string;
  twilioUrl: string;
  workerMetricsPort: number;
  workerSdkMetricsPort: number;
}

/**
 * Everything through the environment, as a deployment would configure it; fake but well-formed provider credentials.
 */
function serviceEnv(i: EnvInputs): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'].filter((k) => process.env[k]).map((k) => [k, process.env[k]]),
  );
  return {
    ...inherited,
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    PORT: String(i.apiPort),
    PUBLIC_BASE_URL: i.apiUrl,
    JOURNEY_POLICY: 'demo',
    TEMPORAL_ADDRESS: i.temporalAddress,
    TEMPORAL_NAMESPACE: NAMESPACE,
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    PAYLOAD_ENCRYPTION_KEYS: ENCRYPTION_KEYS,
    DATABASE_URL: i.databaseUrl,
    API_KEYS_CHECKOUT: CHAOS_KEYS.checkout,
    API_KEYS_SUPPORT: CHAOS_KEYS.support,
    SENDGRID_API_KEY: 'SG.chaos-suite-fake-key.0123456789abcdefghijklmnopqrstuvwxyz',
    SENDGRID_FROM: 'shop@example.com',
    SENDGRID_BASE_URL: i.sendgridUrl,
    TWILIO_ACCOUNT_SID: `AC${'0123456789abcdef'.repeat(2)}`,
    TWILIO_AUTH_TOKEN: 'chaos-suite-fake-auth-token',
    TWILIO_FROM: '+14155550100',
    TWILIO_BASE_URL: i.twilioUrl,
    TWILIO_STATUS_CALLBACK_URL: `${i.apiUrl}/v1/webhooks/twilio/status`,
    CARRIER_TRACKING_PROVIDER: 'none',
    WORKER_METRICS_PORT: String(i.workerMetricsPort),
    WORKER_SDK_METRICS_PORT: String(i.workerSdkMetricsPort),
  };
}

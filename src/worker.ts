/**
 * The worker process: runs journey workflows and their activities. Stops gracefully on SIGTERM/SIGINT
 * (the SDK's Runtime handles both: in-flight activities get the grace time, then the worker drains and exits).
 *
 * Three workers share the process and its connection: the journey queue (workflows and every activity), and one queue
 * per channel (`<taskQueue>-email`, `<taskQueue>-sms`) running only customer sends, where the Temporal server enforces
 * the provider's quota for the whole queue (EMAIL_MAX_PER_SECOND, SMS_MAX_PER_SECOND), however many workers poll it.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createActivities } from './activities';
import { loadConfigOrExit, type Config } from './config';
import { MessageLedger } from './db/ledger';
import { OutboxStore } from './db/outbox';
import { createPool } from './db/pool';
import { createLogger } from './logger';
import { createProviders } from './providers';
import { createCarrierTracking } from './providers/carriers';
import { ConsentStore } from './db/consent';
import { SupportCases } from './db/support-cases';
import { connectionOptions } from './temporal/connection';
import { channelTaskQueue } from './workflows/activities';

export const WORKFLOWS_PATH = require.resolve('./workflows');

export async function createJourneyWorker(config: Config, pool: Pool, connection: NativeConnection): Promise<WorkerGroup> {
  const outbox = new OutboxStore(pool);
  const { email, sms } = createProviders(config, outbox);
  const activities = createActivities({
    ledger: new MessageLedger(pool),
    supportCases: new SupportCases(pool),
    email,
    sms,
    carriers: createCarrierTracking(config).tracking,
    consent: new ConsentStore(pool),
    shop: config.shop,
  });
  const { namespace, taskQueue } = config.temporal;
  const channelWorker = (channel: 'email' | 'sms', maxPerSecond: number | undefined) =>
    Worker.create({
      connection,
      namespace,
      taskQueue: channelTaskQueue(taskQueue, channel),
      activities: { sendCustomerMessage: activities.sendCustomerMessage },
      ...(maxPerSecond !== undefined ? { maxTaskQueueActivitiesPerSecond: maxPerSecond } : {}),
      shutdownGraceTime: '10 seconds',
    });
  return new WorkerGroup([
    await Worker.create({ connection, namespace, taskQueue, workflowsPath: WORKFLOWS_PATH, activities, shutdownGraceTime: '10 seconds' }),
    await channelWorker('email', config.rateLimits.emailPerSecond),
    await channelWorker('sms', config.rateLimits.smsPerSecond),
  ]);
}

/** Workers that run and stop together: when one fails, the others are shut down and the failure is reported. */
export class WorkerGroup {
  constructor(readonly workers: Worker[]) {}

  async run(): Promise<void> {
    const runs = this.workers.map((w) =>
      w.run().catch((err: unknown) => {
        this.shutdown();
        throw err;
      }),
    );
    const results = await Promise.allSettled(runs);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Starts the shutdown of every worker still running; `run()` resolves once all have stopped. */
  shutdown(): void {
    for (const w of this.workers) if (w.getState() === 'RUNNING') w.shutdown();
  }

  /** RUNNING while every worker runs; otherwise the first other state (e.g. STOPPING, FAILED). */
  getState(): ReturnType<Worker['getState']> {
    return this.workers.map((w) => w.getState()).find((s) => s !== 'RUNNING') ?? 'RUNNING';
  }

  /** Runs the workers until `work` settles, then stops them (as Worker.runUntil does for one worker). */
  async runUntil<R>(work: Promise<R> | (() => Promise<R>)): Promise<R> {
    const running = this.run();
    try {
      const stopped = running.then(() => {
        throw new Error('the workers stopped before the work was done');
      });
      stopped.catch(() => {}); // once the work is done, stopping is expected
      return await Promise.race([typeof work === 'function' ? work() : work, stopped]);
    } finally {
      this.shutdown();
      await running;
    }
  }
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger({ name: 'worker' });
  const pool = createPool(config.databaseUrl);
  const connection = await NativeConnection.connect(connectionOptions(config.temporal));
  try {
    const worker = await createJourneyWorker(config, pool, connection);
    logger.info({ taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace, rateLimits: config.rateLimits }, 'worker started');
    await worker.run();
    logger.info('worker stopped');
  } finally {
    await connection.close();
    await pool.end();
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

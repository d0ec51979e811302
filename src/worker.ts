/**
 * The worker process: runs journey workflows and their activities. Stops gracefully on SIGTERM/SIGINT
 * (the SDK's Runtime handles both: in-flight activities get the grace time, then the worker drains and exits).
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
import { NoCarrierTracking } from './providers/carriers/types';
import { SupportCases } from './db/support-cases';
import { connectionOptions } from './temporal/connection';

export const WORKFLOWS_PATH = require.resolve('./workflows');

export async function createJourneyWorker(config: Config, pool: Pool, connection: NativeConnection): Promise<Worker> {
  const outbox = new OutboxStore(pool);
  const { email, sms } = createProviders(config, outbox);
  return Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    activities: createActivities({
      ledger: new MessageLedger(pool),
      supportCases: new SupportCases(pool),
      email,
      sms,
      carriers: new NoCarrierTracking(),
      shop: config.shop,
    }),
    shutdownGraceTime: '10 seconds',
  });
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger({ name: 'worker' });
  const pool = createPool(config.databaseUrl);
  const connection = await NativeConnection.connect(connectionOptions(config.temporal));
  try {
    const worker = await createJourneyWorker(config, pool, connection);
    logger.info({ taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace }, 'worker started');
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

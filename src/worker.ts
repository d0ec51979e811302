/**
 * The worker process: runs journey workflows and their activities. Stops gracefully on SIGTERM/SIGINT
 * (the SDK's Runtime handles both: in-flight activities get the grace time, then the worker drains and exits).
 * Its three workers (journey queue, email and SMS queues with the providers' quotas) are built in
 * src/temporal/journey-workers.ts.
 */
import { NativeConnection } from '@temporalio/worker';
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
import { encryptedDataConverter } from './temporal/data-converter';
import { createJourneyWorkers, type WorkerGroup } from './temporal/journey-workers';

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
  return createJourneyWorkers({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    activities,
    // Every worker encrypts what it writes to history and decrypts what it reads (keys rotate through the ring).
    dataConverter: encryptedDataConverter(config.temporal.encryptionKeys),
    workflows: { workflowsPath: WORKFLOWS_PATH },
    rateLimits: config.rateLimits,
  });
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

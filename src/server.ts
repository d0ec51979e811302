/** The API process. Stops taking requests on SIGTERM/SIGINT and closes its connections. */
import type { Server } from 'node:http';
import type { Pool } from 'pg';
import type { Client } from '@temporalio/client';
import { createApp } from './api/app';
import { loadConfigOrExit, type Config } from './config';
import { WebhookStats } from './api/webhooks';
import { ConsentStore } from './db/consent';
import { CustomerPreferenceStore } from './db/preferences';
import { MessageLedger } from './db/ledger';
import { OutboxStore } from './db/outbox';
import { JourneyViews } from './db/journey-views';
import { ParcelDirectory } from './db/parcels';
import { WebhookInbox } from './db/webhook-events';
import { createPool } from './db/pool';
import { FunnelReports } from './db/funnel-report';
import { MessageEngagement } from './db/message-engagement';
import { OrderCohorts } from './db/order-cohorts';
import { ReplenishmentConversions } from './db/replenishment-conversions';
import { resolvePolicy, type JourneyPolicy } from './domain/policy';
import { IdempotencyKeys } from './db/idempotency-keys';
import { ProviderCircuits } from './db/provider-circuits';
import { CustomerService } from './journeys/customer-service';
import { JourneyService } from './journeys/journey-service';
import { createLogger, type Logger } from './logger';
import { createCarrierTracking } from './providers/carriers';
import { hasFailoverPair } from './providers';
import { connectClient } from './temporal/connection';

export function buildApi(
  config: Config,
  pool: Pool,
  client: Client,
  policy: JourneyPolicy,
  logger: Logger,
  stats = new WebhookStats(),
  /** Where best-effort rows on the order path go (the funnel's cohort notes): main() gives an `asyncCommit` pool. */
  notesPool: Pool = pool,
) {
  const ledger = new MessageLedger(pool);
  const carriers = createCarrierTracking(config).adapters;
  return createApp({
    config,
    logger,
    journeys: new JourneyService(client, config.temporal.taskQueue, policy, {
      ledger,
      parcels: new ParcelDirectory(pool),
      views: new JourneyViews(pool),
    }),
    outbox: new OutboxStore(pool),
    webhooks: {
      ledger,
      consent: new ConsentStore(pool),
      inbox: new WebhookInbox(pool),
      engagement: new MessageEngagement(pool),
      carriers,
      stats,
    },
    reports: {
      cohorts: new OrderCohorts(notesPool),
      conversions: new ReplenishmentConversions(notesPool),
      funnel: new FunnelReports(pool),
    },
    customers: new CustomerService(client, config.temporal.taskQueue, policy, ledger),
    preferences: new CustomerPreferenceStore(pool),
    idempotencyKeys: new IdempotencyKeys(pool),
    ...(hasFailoverPair(config) ? { circuits: new ProviderCircuits(pool, config.failover.circuit) } : {}),
    readiness: {
      postgres: async () => {
        await pool.query('SELECT 1');
      },
      temporal: async () => {
        await client.workflowService.describeNamespace({ namespace: config.temporal.namespace });
      },
    },
  });
}

/** `host`: every interface when left out; tests and local tools pass "127.0.0.1". */
export function listen(app: ReturnType<typeof createApp>, port: number, host?: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = host ? app.listen(port, host, () => resolve(server)) : app.listen(port, () => resolve(server));
    server.once('error', reject);
  });
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger({ name: 'api', level: config.observability.logLevel });
  const policy = resolvePolicy(config.journeyPolicy, config.journeyPolicyOverrides);
  const pool = createPool(config.databaseUrl);
  // The funnel's cohort note after each order commits without waiting for the disk (src/db/pool.ts): a note lost to a
  // crash is rebuilt from the order's journey view by the report.
  const notesPool = createPool(config.databaseUrl, 2, { asyncCommit: true });
  const client = await connectClient(config.temporal);
  const server = await listen(buildApi(config, pool, client, policy, logger, undefined, notesPool), config.port);
  logger.info({ port: config.port, policy: policy.name }, 'API listening');

  const stop = () => {
    logger.info('API stopping');
    server.close(() => {
      client.connection
        .close()
        .then(() => Promise.all([pool.end(), notesPool.end()]))
        .then(
          () => process.exit(0),
          (err: unknown) => {
            logger.error({ err }, 'API stop failed');
            process.exit(1);
          },
        );
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

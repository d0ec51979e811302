/**
 * The worker process: runs journey workflows and their activities. Stops gracefully on SIGTERM/SIGINT
 * (the SDK's Runtime handles both: in-flight activities get the grace time, then the worker drains and exits).
 * Its three workers (journey queue, email and SMS queues with the providers' quotas) are built in
 * src/temporal/journey-workers.ts.
 */
import { NativeConnection, Runtime } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createActivities } from './activities';
import { loadConfigOrExit, type Config } from './config';
import { MessageLedger } from './db/ledger';
import { OutboxStore } from './db/outbox';
import { createPool } from './db/pool';
import { createLogger } from './logger';
import { createProviders } from './providers';
import type { EmailProvider, SmsProvider } from './providers/types';
import { createCarrierTracking } from './providers/carriers';
import { ConsentStore } from './db/consent';
import { SupportCases } from './db/support-cases';
import { CustomerPreferenceStore } from './db/preferences';
import { MarketingSlots } from './db/marketing-slots';
import { ReturnLabels } from './db/return-labels';
import { EasyPostReturnLabels } from './providers/return-labels/easypost';
import { JourneyViews } from './db/journey-views';
import { ProviderCircuits } from './db/provider-circuits';
import { UnsubscribeLinks } from './domain/unsubscribe-token';
import { connectionOptions } from './temporal/connection';
import { encryptedDataConverter } from './temporal/data-converter';
import { createJourneyWorkers, type WorkerGroup } from './temporal/journey-workers';
import { journeyWorkflowsSource } from './temporal/workflow-bundle';
import { prepareTemplates } from './templates';
import { serveMetrics } from './observability/metrics-server';
import { sdkLogger } from './observability/sdk-logger';
import {
  createWorkerMetrics,
  instrumentActivities,
  instrumentEmail,
  instrumentSms,
  type WorkerMetrics,
} from './observability/worker-metrics';

/**
 * `metrics`: count messages and time provider calls (the worker process passes its registry; tests may leave it out).
 */
export async function createJourneyWorker(
  config: Config,
  pool: Pool,
  connection: NativeConnection,
  metrics?: WorkerMetrics,
): Promise<WorkerGroup> {
  const outbox = new OutboxStore(pool);
  // One circuit breaker per provider, shared with every other worker through PostgreSQL (docs/failover.md). Each
  // provider's calls are timed under its own name, inside a failover pair too.
  const { email, sms } = createProviders(config, outbox, {
    breaker: new ProviderCircuits(pool, config.failover.circuit),
    onBreakerError: (_err, operation) => metrics?.circuitErrors.inc({ operation }),
    ...(metrics
      ? {
          decorate: {
            email: (p: EmailProvider) => instrumentEmail(p, metrics),
            sms: (p: SmsProvider) => instrumentSms(p, metrics),
          },
        }
      : {}),
  });
  const built = createActivities({
    ledger: new MessageLedger(pool),
    supportCases: new SupportCases(pool),
    email,
    sms,
    carriers: createCarrierTracking(config).tracking,
    consent: new ConsentStore(pool),
    shop: config.shop,
    preferences: new CustomerPreferenceStore(pool),
    marketingSlots: new MarketingSlots(pool),
    unsubscribe: new UnsubscribeLinks({ ...config.unsubscribe, url: config.shop.unsubscribeUrl }),
    ...returnLabelsOf(config, pool),
    onUncertainRetry: ({ messageType, channel }) =>
      metrics?.messages.inc({ message_type: messageType, channel, outcome: 'uncertain_retry' }),
  });
  const activities = metrics ? instrumentActivities(built, metrics) : built;
  // The email layouts compiled now, off the event loop: otherwise the first email compiles them synchronously and
  // stalls every journey, activity and heartbeat of the process for about half a second.
  await prepareTemplates();
  return createJourneyWorkers({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    activities,
    // Every worker encrypts what it writes to history and decrypts what it reads (keys rotate through the ring).
    dataConverter: encryptedDataConverter(config.temporal.encryptionKeys),
    workflows: journeyWorkflowsSource(config.temporal.workflowBundlePath),
    rateLimits: config.rateLimits,
    views: new JourneyViews(pool),
    maxCachedWorkflows: config.temporal.maxCachedWorkflows,
  });
}

/** The return-label provider when one is configured (with EasyPost's key from the tracking section). */
function returnLabelsOf(config: Config, pool: Pool) {
  const easypost = config.carrierTracking.options.easypost;
  if (!config.returnLabels || !easypost) return {};
  const { returnAddress, parcel, carrierAccounts } = config.returnLabels;
  const provider = new EasyPostReturnLabels({ ...easypost, returnAddress, parcel, carrierAccounts });
  return { returnLabels: { provider, records: new ReturnLabels(pool) } };
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger({ name: 'worker', level: config.observability.logLevel });
  const { workerMetricsPort, workerSdkMetricsPort } = config.observability;
  // Before any connection: the SDK's logs through pino, its metrics on their own Prometheus port.
  Runtime.install({
    logger: sdkLogger(logger),
    telemetryOptions: {
      metrics: {
        prometheus: {
          bindAddress: `0.0.0.0:${workerSdkMetricsPort}`,
          countersTotalSuffix: true,
          useSecondsForDurations: true,
        },
      },
    },
  });
  const pool = createPool(config.databaseUrl);
  const circuits = new ProviderCircuits(pool, config.failover.circuit);
  const metrics = createWorkerMetrics({ processMetrics: true, circuits });
  const metricsServer = await serveMetrics(metrics.registry, workerMetricsPort);
  logger.info({ workerMetricsPort, workerSdkMetricsPort }, 'metrics at :PORT/metrics');
  const connection = await NativeConnection.connect(connectionOptions(config.temporal));
  try {
    const worker = await createJourneyWorker(config, pool, connection, metrics);
    logger.info(
      { taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace, rateLimits: config.rateLimits },
      'worker started',
    );
    await worker.run();
    logger.info('worker stopped');
  } finally {
    await connection.close();
    await pool.end();
    await metricsServer.close();
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

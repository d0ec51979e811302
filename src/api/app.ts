/** The HTTP API: checkout starts journeys, support acts on them, everyone reads them. */
import express, { type Express } from 'express';
import type { Config } from '../config';
import type { OutboxStore } from '../db/outbox';
import type { CustomerService } from '../journeys/customer-service';
import type { JourneyService } from '../journeys/journey-service';
import type { Logger } from '../logger';
import { errorHandler, methodNotAllowed, notFoundRoute } from './errors';
import { allowedMethodsMatcher } from './route-inventory';
import { asHttpError } from './journey-errors';
import { jsonBody } from './json-body';
import { healthRouter, type CircuitReport, type DependencyCheck } from './routes/health';
import { ordersRouter } from './routes/orders';
import { fulfilmentRouter } from './routes/fulfilment';
import { supportActionsRouter } from './routes/support-actions';
import { outboxRouter } from './routes/outbox';
import { templatesRouter } from './routes/templates';
import { codecRouter } from './routes/codec';
import { customersRouter } from './routes/customers';
import { preferencesRouter } from './routes/preferences';
import { unsubscribeRouter } from './routes/unsubscribe';
import { reportsRouter } from './routes/reports';
import type { FunnelReports } from '../db/funnel-report';
import type { OrderCohorts } from '../db/order-cohorts';
import type { ReplenishmentConversions } from '../db/replenishment-conversions';
import type { CustomerPreferenceStore } from '../db/preferences';
import type { IdempotencyKeys } from '../db/idempotency-keys';
import { webhooksRouter, WebhookStats, type WebhookDeps } from './webhooks';
import { docsRouter } from './routes/docs';
import { createApiMetrics, httpMetrics, metricsRoute, type ApiMetrics } from './metrics-middleware';
import { requestLogging } from '../observability/request-logging';

export interface ApiDeps {
  config: Config;
  journeys: JourneyService;
  outbox: OutboxStore;
  readiness: Record<string, DependencyCheck>;
  logger: Logger;
  /** Provider webhooks; left out, their routes are not mounted. */
  webhooks?: Omit<WebhookDeps, 'config' | 'journeys' | 'logger'>;
  /** Customers' lifecycle workflows (profile, the customer's journey); left out, their routes are not mounted. */
  customers?: CustomerService;
  /** Customers' preferences and one-click unsubscribe; left out, their routes are not mounted. */
  preferences?: CustomerPreferenceStore;
  /**
   * Idempotency keys of support's actions (PostgreSQL). Left out, an Idempotency-Key still dedupes retries through
   * Temporal (the update id), but a key reused with another body is not detected.
   */
  idempotencyKeys?: IdempotencyKeys;
  /**
   * The funnel: orders' cohorts noted at POST /v1/orders, and the report (GET /v1/reports/funnel, the /reports page).
   * Left out, neither is noted nor mounted.
   */
  reports?: { cohorts: OrderCohorts; conversions: ReplenishmentConversions; funnel: FunnelReports };
  /** Prometheus metrics served at /metrics; a fresh registry when left out (Node.js process metrics outside tests). */
  metrics?: ApiMetrics;
  /** The providers' circuit breakers, for /readyz's details and /metrics; left out, neither shows them. */
  circuits?: CircuitReport;
}

export function createApp({
  config,
  journeys,
  outbox,
  readiness,
  logger,
  webhooks,
  customers,
  preferences,
  idempotencyKeys,
  reports,
  metrics: given,
  circuits,
}: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  const webhookStats = webhooks?.stats ?? new WebhookStats();
  const metrics = given ?? createApiMetrics({ webhookStats, processMetrics: config.env !== 'test', circuits });
  // First: every request gets its id (X-Request-Id) and a log line, and is counted by route pattern.
  app.use(requestLogging(logger));
  app.use(httpMetrics(app, metrics));
  // Checkout's orders first: every order passes here, and each router before it is a few more steps per request.
  app.use(
    ordersRouter(
      config,
      journeys,
      reports && { cohorts: reports.cohorts, conversions: reports.conversions, funnel: metrics.funnel, logger },
    ),
  );
  // Before the JSON parser: webhook signatures are computed over the raw body.
  if (webhooks)
    app.use(webhooksRouter({ ...webhooks, stats: webhookStats, funnel: metrics.funnel, config, journeys, logger }));
  app.use(codecRouter(config)); // its own body limit: the UI decodes whole batches of payloads
  app.use(jsonBody);

  app.use(healthRouter(readiness, circuits));
  app.use(fulfilmentRouter(config, journeys));
  app.use(supportActionsRouter(config, journeys, idempotencyKeys));
  app.use(outboxRouter(config, outbox));
  app.use(templatesRouter(config));
  if (customers) app.use(customersRouter(config, customers));
  if (preferences) app.use(preferencesRouter(config, preferences), unsubscribeRouter(config, preferences, logger));
  if (reports) app.use(reportsRouter(config, reports.funnel));
  app.get('/metrics', metricsRoute(metrics));
  app.use(docsRouter({ publicBaseUrl: config.publicBaseUrl }));

  app.use(methodNotAllowed(allowedMethodsMatcher(app)));
  app.use(notFoundRoute);
  app.use(errorHandler((err) => logger.error({ err }, 'unhandled error in a request'), asHttpError));
  return app;
}

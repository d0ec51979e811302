/** The HTTP API: checkout starts journeys, support acts on them, everyone reads them. */
import express, { type Express } from 'express';
import type { Config } from '../config';
import type { OutboxStore } from '../db/outbox';
import type { JourneyService } from '../journeys/journey-service';
import type { Logger } from '../logger';
import { errorHandler, notFoundRoute } from './errors';
import { healthRouter, type DependencyCheck } from './routes/health';
import { ordersRouter } from './routes/orders';
import { fulfilmentRouter } from './routes/fulfilment';
import { supportActionsRouter } from './routes/support-actions';
import { outboxRouter } from './routes/outbox';
import { templatesRouter } from './routes/templates';
import { codecRouter } from './routes/codec';
import { webhooksRouter, type WebhookDeps } from './webhooks';

export interface ApiDeps {
  config: Config;
  journeys: JourneyService;
  outbox: OutboxStore;
  readiness: Record<string, DependencyCheck>;
  logger: Logger;
  /** Provider webhooks; left out, their routes are not mounted. */
  webhooks?: Omit<WebhookDeps, 'config' | 'journeys' | 'logger'>;
}

export function createApp({ config, journeys, outbox, readiness, logger, webhooks }: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Before the JSON parser: webhook signatures are computed over the raw body.
  if (webhooks) app.use(webhooksRouter({ ...webhooks, config, journeys, logger }));
  app.use(codecRouter(config)); // its own body limit: the UI decodes whole batches of payloads
  app.use(express.json({ limit: '256kb' }));

  app.use(healthRouter(readiness));
  app.use(ordersRouter(config, journeys));
  app.use(fulfilmentRouter(config, journeys));
  app.use(supportActionsRouter(config, journeys));
  app.use(outboxRouter(config, outbox));
  app.use(templatesRouter(config));

  app.use(notFoundRoute);
  app.use(errorHandler((err) => logger.error({ err }, 'unhandled error in a request')));
  return app;
}

/**
 * Counts and times the API's requests by route pattern, and serves `GET /metrics` (the metrics themselves:
 * src/observability/api-metrics.ts).
 */
import type { Express, RequestHandler } from 'express';
import type { ApiMetrics } from '../observability/api-metrics';
import { orderOutcomeOf } from '../observability/funnel-metrics';
import { routePatternMatcher } from './route-inventory';

export { createApiMetrics, type ApiMetrics } from '../observability/api-metrics';

/** The route label of requests no route serves. */
export const UNMATCHED_ROUTE = '(unmatched)';

/** Counts and times every request by its route pattern. Mount first, before any router. */
export function httpMetrics(app: Express, metrics: ApiMetrics): RequestHandler {
  const routeOf = routePatternMatcher(app);
  return (req, res, next) => {
    const end = metrics.httpDuration.startTimer();
    const method = req.method;
    const path = req.path; // now, before mounted routers rewrite req.url
    res.once('finish', () => {
      const route = routeOf(method, path) ?? UNMATCHED_ROUTE;
      end({ method, route });
      metrics.httpRequests.inc({ method, route, status: String(res.statusCode) });
      if (method === 'POST' && route === '/v1/orders' && res.statusCode === 201) metrics.journeysStarted.inc();
      const outcome = orderOutcomeOf(method, route, res.statusCode, res.get('Idempotency-Replayed') === 'true');
      if (outcome) metrics.funnel.reached(outcome);
    });
    next();
  };
}

/** `GET /metrics` in Prometheus' text format. */
export function metricsRoute(metrics: ApiMetrics): RequestHandler {
  return async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  };
}

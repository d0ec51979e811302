/**
 * The API's Prometheus metrics (prom-client), served at `GET /metrics`:
 *
 *   order_journeys_http_requests_total{method,route,status}         every answered request, by route pattern
 *   order_journeys_http_request_duration_seconds{method,route}      how long answers took
 *   order_journeys_journeys_started_total                           new journeys (POST /v1/orders answered 201)
 *   order_journeys_webhook_signature_failures_total{provider,reason} refused provider webhooks (WebhookStats)
 *   order_journeys_funnel_events_total{stage,channel,message_type}  the funnel's stages (funnel-metrics.ts)
 *   order_journeys_provider_circuit_state{provider,state}           providers' circuit breakers (circuit-metrics.ts)
 *   + Node.js process metrics (CPU, memory, event loop lag, GC) outside tests
 *
 * `route` is the pattern ("/v1/orders/:orderId/journey"), never the raw path, so order ids do not multiply series;
 * requests no route serves count as "(unmatched)". The express side (counting requests, serving the text) is
 * src/api/metrics-middleware.ts: the metrics know nothing of the API's internals.
 */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { createFunnelEvents, type FunnelEvents } from './funnel-metrics';
import { registerCircuitGauge, type CircuitStates } from './circuit-metrics';

/** Refused webhook requests by "provider:reason", as the API's webhooks count them (WebhookStats). */
export interface WebhookRefusals {
  readonly refused: Readonly<Record<string, number>>;
}

export interface ApiMetrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  journeysStarted: Counter;
  funnel: FunnelEvents;
}

export function createApiMetrics(
  options: { webhookStats?: WebhookRefusals; processMetrics?: boolean; circuits?: CircuitStates } = {},
): ApiMetrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  if (options.circuits) registerCircuitGauge(registry, options.circuits);
  const stats = options.webhookStats;
  new Counter({
    name: 'order_journeys_webhook_signature_failures_total',
    help: 'Provider webhook requests refused because their signature was missing, wrong or stale',
    labelNames: ['provider', 'reason'],
    registers: [registry],
    // Mirrors the webhooks' own counters (WebhookStats), whichever object the app was built with.
    collect() {
      this.reset();
      for (const [key, count] of Object.entries(stats?.refused ?? {})) {
        const [provider = 'unknown', reason = 'unknown'] = key.split(':');
        this.inc({ provider, reason }, count);
      }
    },
  });
  return {
    registry,
    httpRequests: new Counter({
      name: 'order_journeys_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'order_journeys_http_request_duration_seconds',
      help: 'Time to answer HTTP requests, by method and route pattern',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    journeysStarted: new Counter({
      name: 'order_journeys_journeys_started_total',
      help: 'Journeys started (POST /v1/orders answered 201; repeats of the same order are not counted)',
      registers: [registry],
    }),
    funnel: createFunnelEvents(registry),
  };
}

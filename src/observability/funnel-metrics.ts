/**
 * The funnel as Prometheus counters, so Grafana can draw what GET /v1/reports/funnel answers (deploy/grafana/):
 *
 *   order_journeys_funnel_events_total{stage,channel,message_type}
 *     delivered   a provider's delivery report was applied (SendGrid delivered, Twilio delivered)
 *     opened      a message's first open (SendGrid open)
 *     clicked     a message's first click (SendGrid click)
 *     reviewed    a review reached the journey (POST …/reviews; channel and message_type "none")
 *     reordered   a new order converts a replenishment reminder (each reminder message: its channel; the same rule as
 *                 the report, src/db/replenishment-conversions.ts)
 *     returned    support accepted a return (first answer, not its retries; channel and message_type "none")
 *     cancelled   support cancelled an order (first answer, not its retries; channel and message_type "none")
 *   "sent" is the worker's order_journeys_messages_total{outcome="sent"} (src/observability/worker-metrics.ts).
 *
 * Labels are closed sets (stages, two channels, the message types): no order, customer or address ever.
 */
import { Counter, type Registry } from 'prom-client';
import { FUNNEL_STAGE_NAMES, type FunnelStageName } from '../domain/funnel';
import { isMessageType } from '../domain/message-types';

/** The report's stages but "sent", which the worker counts (order_journeys_messages_total{outcome="sent"}). */
export type FunnelEventStage = Exclude<FunnelStageName, 'sent'>;
export const FUNNEL_STAGES = FUNNEL_STAGE_NAMES.filter((s): s is FunnelEventStage => s !== 'sent');

export interface FunnelEventLabels {
  channel?: string;
  messageType?: string;
}

/** What the API's handlers call when a message or an order reaches a stage. */
export interface FunnelEvents {
  reached(stage: FunnelEventStage, labels?: FunnelEventLabels): void;
}

export function createFunnelEvents(registry: Registry): FunnelEvents {
  const counter = new Counter({
    name: 'order_journeys_funnel_events_total',
    help: 'Messages and orders reaching a funnel stage, by stage, channel and message type',
    labelNames: ['stage', 'channel', 'message_type'],
    registers: [registry],
  });
  return {
    reached(stage, labels = {}) {
      counter.inc({
        stage,
        channel: labels.channel === 'email' || labels.channel === 'sms' ? labels.channel : 'none',
        // Only known names become label values: whatever else a row holds cannot grow the series.
        message_type: labels.messageType && isMessageType(labels.messageType) ? labels.messageType : 'none',
      });
    },
  };
}

/**
 * The journey outcome an answered request reports, if any: a review taken (202), a return accepted (201), a
 * cancellation (200). An answer replayed for a retry (Idempotency-Replayed) is not a second outcome.
 */
export function orderOutcomeOf(
  method: string,
  route: string,
  status: number,
  replayed: boolean,
): FunnelEventStage | undefined {
  if (method !== 'POST' || replayed) return undefined;
  if (route === '/v1/orders/:orderId/reviews' && status === 202) return 'reviewed';
  if (route === '/v1/orders/:orderId/returns' && status === 201) return 'returned';
  if (route === '/v1/orders/:orderId/cancel' && status === 200) return 'cancelled';
  return undefined;
}

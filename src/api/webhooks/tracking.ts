/**
 * Carrier updates pushed by the tracking providers:
 *   POST /v1/webhooks/tracking/easypost   (X-Hmac-Signature)
 *   POST /v1/webhooks/tracking/aftership  (aftership-hmac-sha256)
 * The adapter verifies the signature over the raw body and normalizes the events; each event is handled once (by the
 * provider's event id), its parcel looked up by tracking number, and the journey signalled. An event whose parcel or
 * journey is unknown is kept in unmatched_webhook_events and answered 202: the provider has done its part.
 */
import express, { Router } from 'express';
import type { Config } from '../../config';
import { JourneyEndedError, JourneyFailedError, JourneyNotFoundError, type JourneyService } from '../../journeys/journey-service';
import type { WebhookInbox } from '../../db/webhook-events';
import type { Logger } from '../../logger';
import { WebhookSignatureError, type CarrierTracking, type CarrierWebhookEvent } from '../../providers/carriers/types';
import { handleOnce, notConfigured, refuse, statusFor, type EventOutcome, type WebhookStats } from './inbox';

export interface TrackingWebhookDeps {
  config: Pick<Config, 'easypost' | 'aftership'>;
  journeys: JourneyService;
  inbox: WebhookInbox;
  carriers: { easypost?: CarrierTracking; aftership?: CarrierTracking };
  stats: WebhookStats;
  logger: Logger;
}

const PROVIDERS = [
  { name: 'easypost', secretVariable: 'EASYPOST_WEBHOOK_SECRET' },
  { name: 'aftership', secretVariable: 'AFTERSHIP_WEBHOOK_SECRET' },
] as const;

export function trackingWebhooks(deps: TrackingWebhookDeps): Router {
  const router = Router();
  const raw = express.raw({ type: () => true, limit: '1mb' });

  for (const { name, secretVariable } of PROVIDERS) {
    router.post(`/v1/webhooks/tracking/${name}`, raw, async (req, res) => {
      const adapter = deps.carriers[name];
      if (!adapter?.parseWebhook || !deps.config[name]?.webhookSecret) return notConfigured(res, deps.logger, name, secretVariable);
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);

      let events: CarrierWebhookEvent[];
      try {
        events = adapter.parseWebhook(body, req.headers);
      } catch (err) {
        if (err instanceof WebhookSignatureError) return refuse(res, deps.stats, deps.logger, name, err.reason);
        if (err instanceof SyntaxError) {
          res.status(400).json({ error: { code: 'malformed_json', message: `${name} webhook body is not JSON`, details: null } });
          return;
        }
        throw err;
      }

      const outcomes: EventOutcome[] = [];
      for (const event of events) outcomes.push(await handleOnce(deps.inbox, name, event.eventId, () => deliver(deps, name, event)));
      res.status(statusFor(outcomes)).json({ received: events.length, outcomes });
    });
  }
  return router;
}

async function deliver(deps: TrackingWebhookDeps, provider: string, event: CarrierWebhookEvent): Promise<Exclude<EventOutcome, 'duplicate'>> {
  const { trackingNumber, carrier, status, occurredAt, eventId, description } = event;
  const log = { provider, eventId, trackingNumber, carrier, status };
  if (status === null) {
    deps.logger.info(log, 'carrier update without a status of ours: nothing to tell the journey');
    return 'ignored';
  }
  const keep = async (reason: string) => {
    deps.logger.warn({ ...log, reason }, 'carrier update matched no journey: kept for support');
    await deps.inbox.keepUnmatched({ provider, eventId, reason, lookupKey: trackingNumber, event });
    return 'unmatched' as const;
  };

  const orderId = await deps.journeys.orderForParcel(trackingNumber, carrier);
  if (!orderId) return keep('unknown_tracking_number');
  try {
    await deps.journeys.signalTracking(orderId, { trackingNumber, status, occurredAt, eventId, ...(description ? { description: description.slice(0, 500) } : {}) });
  } catch (err) {
    if (err instanceof JourneyEndedError) return keep('journey_ended');
    if (err instanceof JourneyFailedError) return keep('journey_failed'); // support restarts or resets it, then replays
    if (err instanceof JourneyNotFoundError) return keep('journey_not_found');
    throw err;
  }
  deps.logger.info({ ...log, orderId }, 'carrier update signalled to the journey');
  return 'applied';
}

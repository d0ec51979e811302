/**
 * Carrier updates pushed by the tracking providers, one route per provider of the table that has a webhook
 * (src/providers/carriers/tracking-providers.ts):
 *   POST /v1/webhooks/tracking/easypost   (X-Hmac-Signature)
 *   POST /v1/webhooks/tracking/aftership  (aftership-hmac-sha256)
 * The adapter verifies the signature over the raw body and normalizes the events; each event is handled once (by the
 * provider's event id), its parcel looked up by tracking number, and the journey signalled. An event whose parcel or
 * journey is unknown is kept in unmatched_webhook_events and answered 202: the provider has done its part.
 */
import express, { Router } from 'express';
import type { Config } from '../../config';
import {
  JourneyEndedError,
  JourneyFailedError,
  JourneyNotFoundError,
  type JourneyService,
} from '../../journeys/journey-service';
import type { WebhookInbox } from '../../db/webhook-events';
import type { Logger } from '../../logger';
import { WebhookSignatureError, type CarrierTracking, type CarrierWebhookEvent } from '../../providers/carriers/types';
import { trackingWebhookRoutes, type CarrierTrackingTable } from '../../providers/carriers/tracking-provider';
import {
  CARRIER_TRACKING_PROVIDERS,
  type CarrierTrackingProviderTable,
} from '../../providers/carriers/tracking-providers';
import { handleOnce, notConfigured, refuse, statusFor, type EventOutcome, type WebhookStats } from './inbox';

export interface TrackingWebhookDeps<Table extends CarrierTrackingTable = CarrierTrackingProviderTable> {
  config: Pick<Config<Table>, 'carrierTracking'>;
  journeys: JourneyService;
  inbox: WebhookInbox;
  /** The configured adapters by provider name (createCarrierTracking(config).adapters). */
  carriers: { [Name in keyof Table]?: CarrierTracking };
  stats: WebhookStats;
  logger: Logger;
}

/** `table`: the service's providers; a test may pass the table with an entry of its own. */
export function trackingWebhooks<Table extends CarrierTrackingTable = CarrierTrackingProviderTable>(
  deps: TrackingWebhookDeps<Table>,
  table: Table = CARRIER_TRACKING_PROVIDERS as CarrierTrackingTable as Table,
): Router {
  const router = Router();
  const raw = express.raw({ type: () => true, limit: '1mb' });

  for (const { name, secretOption, secretVariable } of trackingWebhookRoutes(table)) {
    router.post(`/v1/webhooks/tracking/${name}`, raw, async (req, res) => {
      const adapter: CarrierTracking | undefined = deps.carriers[name];
      const secret = (deps.config.carrierTracking.options[name] as Record<string, unknown> | undefined)?.[secretOption];
      if (!adapter?.parseWebhook || !secret) return notConfigured(res, deps.logger, name, secretVariable);
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);

      let events: CarrierWebhookEvent[];
      try {
        events = adapter.parseWebhook(body, req.headers);
      } catch (err) {
        if (err instanceof WebhookSignatureError) return refuse(res, deps.stats, deps.logger, name, err.reason);
        if (err instanceof SyntaxError) {
          res
            .status(400)
            .json({ error: { code: 'malformed_json', message: `${name} webhook body is not JSON`, details: null } });
          return;
        }
        throw err;
      }

      const outcomes: EventOutcome[] = [];
      for (const event of events)
        outcomes.push(await handleOnce(deps.inbox, name, event.eventId, () => deliver(deps, name, event)));
      res.status(statusFor(outcomes)).json({ received: events.length, outcomes });
    });
  }
  return router;
}

async function deliver(
  deps: Pick<TrackingWebhookDeps, 'journeys' | 'inbox' | 'logger'>,
  provider: string,
  event: CarrierWebhookEvent,
): Promise<Exclude<EventOutcome, 'duplicate'>> {
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
    await deps.journeys.signalTracking(orderId, {
      trackingNumber,
      status,
      occurredAt,
      eventId,
      ...(description ? { description: description.slice(0, 500) } : {}),
    });
  } catch (err) {
    if (err instanceof JourneyEndedError) return keep('journey_ended');
    if (err instanceof JourneyFailedError) return keep('journey_failed'); // support restarts or resets it, then replays
    if (err instanceof JourneyNotFoundError) return keep('journey_not_found');
    throw err;
  }
  deps.logger.info({ ...log, orderId }, 'carrier update signalled to the journey');
  return 'applied';
}

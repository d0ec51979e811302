/**
 * Provider webhooks, each on its own route with its own body parser (the raw body for HMAC/ECDSA signatures, the form
 * for Twilio): mounted before the API's JSON parser, and outside its API-key auth (the signature is the
 * authentication).
 *
 *   POST /v1/webhooks/tracking/easypost    carrier updates → the journey's tracking signal
 *   POST /v1/webhooks/tracking/aftership   carrier updates → the journey's tracking signal
 *   POST /v1/webhooks/twilio/status        SMS delivery → message ledger
 *   POST /v1/webhooks/twilio/inbound       STOP / START / HELP → consent store (HELP answered in TwiML)
 *   POST /v1/webhooks/sendgrid/events      email delivery, bounces, spam reports → message ledger and consent store;
 *                                          opens and clicks → message engagement (the funnel)
 *   POST /v1/webhooks/resend/events        the same for Resend, the failover email provider
 *   POST /v1/webhooks/vonage/status        SMS delivery receipts from Vonage (failover SMS provider) → message ledger
 */
import { Router } from 'express';
import type { Config } from '../../config';
import type { ConsentStore } from '../../db/consent';
import type { MessageLedger } from '../../db/ledger';
import type { MessageEngagement } from '../../db/message-engagement';
import type { FunnelEvents } from '../../observability/funnel-metrics';
import type { WebhookInbox } from '../../db/webhook-events';
import type { JourneyService } from '../../journeys/journey-service';
import type { Logger } from '../../logger';
import type { ApiContract } from '../openapi';
import { WebhookStats } from './inbox';
import { declareResendWebhookRoutes, resendWebhooks } from './resend';
import { declareSendGridWebhookRoutes, sendGridWebhooks } from './sendgrid';
import { trackingWebhooks, type TrackingWebhookDeps } from './tracking';
import { declareTrackingWebhookRoutes } from './tracking-contract';
import { declareTwilioWebhookRoutes, twilioWebhooks } from './twilio';
import { declareVonageWebhookRoutes, vonageWebhooks } from './vonage';

export interface WebhookDeps {
  config: Config;
  journeys: JourneyService;
  ledger: MessageLedger;
  consent: ConsentStore;
  inbox: WebhookInbox;
  carriers: TrackingWebhookDeps['carriers'];
  logger: Logger;
  stats?: WebhookStats;
  /** SendGrid's and Resend's opens and clicks; left out, they are ignored. */
  engagement?: MessageEngagement;
  /** The funnel's Prometheus counters. */
  funnel?: FunnelEvents;
}

export function webhooksRouter(deps: WebhookDeps): Router {
  const stats = deps.stats ?? new WebhookStats();
  const router = Router();
  router.use(trackingWebhooks({ ...deps, stats }));
  router.use(twilioWebhooks({ ...deps, stats }));
  router.use(sendGridWebhooks({ ...deps, stats }));
  router.use(resendWebhooks({ ...deps, stats }));
  router.use(vonageWebhooks({ ...deps, stats }));
  return router;
}

/** The webhooks in the contract: authenticated by the provider's signature, never by an API key. */
export function declareWebhookRoutes(api: ApiContract): void {
  declareTrackingWebhookRoutes(api);
  declareTwilioWebhookRoutes(api);
  declareSendGridWebhookRoutes(api);
  declareResendWebhookRoutes(api);
  declareVonageWebhookRoutes(api);
}

export { WebhookStats } from './inbox';

/**
 * SendGrid's Event Webhook: POST /v1/webhooks/sendgrid/events, a JSON array of events, signed with ECDSA P-256 over
 * timestamp + raw body (`X-Twilio-Email-Event-Webhook-Signature` / `-Timestamp`), checked with `@sendgrid/eventwebhook`
 * and the public key from SENDGRID_WEBHOOK_PUBLIC_KEY. A timestamp more than ten minutes away from now is refused, so a
 * captured request cannot be replayed later; within that window, replays are caught by the event id (`sg_event_id`).
 *
 * What changes:
 *   delivered                 ledger → delivered
 *   bounce (type "bounce")    ledger → failed "bounce", and the address is opted out of email (hard bounce)
 *   bounce (type "blocked")   ledger → failed "blocked" (a soft refusal: the address stays)
 *   dropped                   ledger → failed "dropped" (SendGrid suppressed it, e.g. an earlier bounce)
 *   spamreport, unsubscribe   the address is opted out of email
 *   open, click               recorded against the message for the funnel report (no address, no URL kept)
 * Events find their message by the `ledgerId` custom arg every send carries (else by SendGrid's message id). Marketing
 * group unsubscribes (`group_unsubscribe`) are SendGrid's own suppression of that group and change nothing here.
 */
import { EventWebhook } from '@sendgrid/eventwebhook';
import express, { Router } from 'express';
import type { Config } from '../../config';
import { z } from 'zod';
import type { ApiContract } from '../openapi';
import {
  optOutEmail,
  recordDeliveryReport,
  recordEmailEngagement,
  withoutAddresses,
  type EmailEvent,
  type EmailEventDeps,
} from './email-events';
import {
  handleOnce,
  malformed,
  notConfigured,
  refuse,
  statusFor,
  WebhookReceipt,
  webhookRefusals,
  type EventOutcome,
  type WebhookStats,
} from './inbox';

export interface SendGridWebhookDeps extends EmailEventDeps {
  config: Pick<Config, 'sendgridWebhookPublicKey'>;
  stats: WebhookStats;
  /** For tests: the clock the timestamp is judged by. */
  now?: () => number;
}

const PROVIDER = 'sendgrid';
const SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
const TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';
/** How far the signed timestamp may be from our clock. */
export const SENDGRID_TIMESTAMP_TOLERANCE_S = 600;

/** The fields of a SendGrid event we read; custom args (ledgerId…) arrive as top-level fields. */
interface SendGridEvent {
  event: string;
  email?: string;
  timestamp?: number;
  sg_event_id?: string;
  sg_message_id?: string;
  type?: string;
  reason?: string;
  ledgerId?: string;
}

export function sendGridWebhooks(deps: SendGridWebhookDeps): Router {
  const router = Router();
  const verifier = new EventWebhook();
  const publicKey = deps.config.sendgridWebhookPublicKey
    ? verifier.convertPublicKeyToECDSA(deps.config.sendgridWebhookPublicKey)
    : undefined;
  const now = deps.now ?? Date.now;

  router.post('/v1/webhooks/sendgrid/events', express.raw({ type: () => true, limit: '5mb' }), async (req, res) => {
    if (!publicKey) return notConfigured(res, deps.logger, PROVIDER, 'SENDGRID_WEBHOOK_PUBLIC_KEY');
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signature = req.get(SIGNATURE_HEADER);
    const timestamp = req.get(TIMESTAMP_HEADER);
    if (!signature || !timestamp) return refuse(res, deps.stats, deps.logger, PROVIDER, 'missing_signature');
    if (!verify(verifier, publicKey, body, signature, timestamp))
      return refuse(res, deps.stats, deps.logger, PROVIDER, 'bad_signature');
    if (!/^\d+$/.test(timestamp) || Math.abs(now() / 1000 - Number(timestamp)) > SENDGRID_TIMESTAMP_TOLERANCE_S) {
      return refuse(res, deps.stats, deps.logger, PROVIDER, 'stale_timestamp');
    }

    let events: SendGridEvent[];
    try {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      events = Array.isArray(parsed) ? (parsed as SendGridEvent[]) : [];
    } catch {
      return malformed(res, 'malformed_json', 'SendGrid webhook body is not a JSON array');
    }

    const outcomes: EventOutcome[] = [];
    for (const event of events) {
      if (!event?.sg_event_id || typeof event.event !== 'string') continue;
      outcomes.push(await handleOnce(deps.inbox, PROVIDER, event.sg_event_id, () => apply(deps, event)));
    }
    res.status(statusFor(outcomes)).json({ received: events.length });
  });

  return router;
}

function verify(
  verifier: EventWebhook,
  key: ReturnType<EventWebhook['convertPublicKeyToECDSA']>,
  body: Buffer,
  signature: string,
  timestamp: string,
): boolean {
  try {
    return verifier.verifySignature(key, body, signature, timestamp);
  } catch {
    return false; // not a signature at all (bad base64 or DER)
  }
}

async function apply(deps: SendGridWebhookDeps, sent: SendGridEvent): Promise<Exclude<EventOutcome, 'duplicate'>> {
  const event: EmailEvent = {
    provider: PROVIDER,
    eventId: sent.sg_event_id!,
    name: sent.event,
    ...(sent.ledgerId ? { ledgerId: sent.ledgerId } : {}),
    ...(sent.sg_message_id ? { providerMessageId: sent.sg_message_id.split('.filter')[0] } : {}),
    ...(sent.timestamp ? { at: new Date(sent.timestamp * 1000) } : {}),
    ...(sent.email ? { email: sent.email } : {}),
  };
  if ((sent.event === 'open' || sent.event === 'click') && deps.engagement)
    return recordEmailEngagement({ ...deps, engagement: deps.engagement }, event, sent.event);

  switch (sent.event) {
    case 'delivered':
      return recordDeliveryReport(deps, event, { status: 'delivered' });
    case 'bounce': {
      const hard = (sent.type ?? 'bounce') === 'bounce';
      if (hard) await optOutEmail(deps, event, 'bounce', 'hard bounce');
      return recordDeliveryReport(deps, event, {
        status: 'failed',
        errorCode: hard ? 'bounce' : 'blocked',
        errorMessage: `${hard ? 'bounced' : 'blocked'}: ${withoutAddresses(sent.reason)}`,
      });
    }
    case 'dropped':
      return recordDeliveryReport(deps, event, {
        status: 'failed',
        errorCode: 'dropped',
        errorMessage: `dropped: ${withoutAddresses(sent.reason)}`,
      });
    case 'spamreport':
      await optOutEmail(deps, event, 'spamreport', 'marked our email as spam');
      return 'applied';
    case 'unsubscribe':
      await optOutEmail(deps, event, 'unsubscribe', 'unsubscribed from all email');
      return 'applied';
    default:
      return 'ignored'; // processed, deferred, group_(un)subscribe
  }
}

export function declareSendGridWebhookRoutes(api: ApiContract): void {
  api.route({
    method: 'post',
    path: '/v1/webhooks/sendgrid/events',
    summary: 'SendGrid Event Webhook: deliveries, bounces, spam reports, unsubscribes, opens and clicks',
    tags: ['webhooks'],
    description: 'A JSON array of events; each is handled once (by sg_event_id).',
    request: {
      headers: z.object({
        [SIGNATURE_HEADER]: z.string().min(1).describe('ECDSA P-256 signature over timestamp + raw body'),
        [TIMESTAMP_HEADER]: z.string().min(1).describe('Unix seconds; refused when more than 10 minutes away'),
      }),
      body: {
        required: true,
        content: { 'application/json': { schema: z.unknown().describe("SendGrid's payload, as SendGrid sends it") } },
      },
    },
    responses: {
      200: api.json('Applied, ignored, or repeats', WebhookReceipt),
      202: api.json('Some event matched no message: kept for support', WebhookReceipt),
      400: api.error('malformed_json'),
      ...webhookRefusals(api, ['database']),
    },
  });
}

/**
 * Resend's webhook: POST /v1/webhooks/resend/events, one event per request, signed the Svix way (HMAC-SHA256 over
 * `id.timestamp.body` with the endpoint's `whsec_` secret, RESEND_WEBHOOK_SECRET) and checked with the Resend SDK's
 * own verifier, which also refuses a timestamp more than five minutes away. Replays within that window are caught by
 * the event id (`svix-id`). Resend is the failover email provider (docs/failover.md): its events keep the ledger and
 * the funnel as complete as SendGrid's do.
 *
 *   email.delivered                  ledger → delivered
 *   email.bounced (type Permanent)   ledger → failed "bounce", and the address is opted out of email
 *   email.bounced (other types)      ledger → failed "blocked" (a soft refusal: the address stays)
 *   email.suppressed                 ledger → failed "suppressed" (Resend's suppression list held it back)
 *   email.failed                     ledger → failed "failed"
 *   email.complained                 the address is opted out of email
 *   email.opened, email.clicked      recorded against the message for the funnel report (no address, no URL kept)
 * Events find their message by the `ledgerId` tag every send carries, else by Resend's email id.
 */
import express, { Router } from 'express';
import { Resend } from 'resend';
import { z } from 'zod';
import type { Config } from '../../config';
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
  type SignatureProblem,
  type WebhookStats,
} from './inbox';

export interface ResendWebhookDeps extends EmailEventDeps {
  config: Pick<Config, 'resend' | 'resendWebhookSecret'>;
  stats: WebhookStats;
}

const PROVIDER = 'resend';
const HEADERS = { id: 'svix-id', timestamp: 'svix-timestamp', signature: 'svix-signature' } as const;

/** The fields of a Resend event we read (others pass unread). */
const resendEventSchema = z.object({
  type: z.string(),
  created_at: z.string().optional(),
  data: z
    .object({
      email_id: z.string().optional(),
      to: z.array(z.string()).optional(),
      tags: z.record(z.string(), z.string()).optional(),
      bounce: z.object({ type: z.string().optional(), message: z.string().optional() }).optional(),
      failed: z.object({ reason: z.string().optional() }).optional(),
      suppressed: z.object({ message: z.string().optional() }).optional(),
    })
    .optional(),
});
type ResendEvent = z.infer<typeof resendEventSchema>;

export function resendWebhooks(deps: ResendWebhookDeps): Router {
  const router = Router();
  const { resend, resendWebhookSecret } = deps.config;
  const webhooks = resend ? new Resend(resend.apiKey).webhooks : undefined;

  router.post('/v1/webhooks/resend/events', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    if (!webhooks || !resendWebhookSecret)
      return notConfigured(res, deps.logger, PROVIDER, 'RESEND_API_KEY and RESEND_WEBHOOK_SECRET');
    const payload = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const [id, timestamp, signature] = [req.get(HEADERS.id), req.get(HEADERS.timestamp), req.get(HEADERS.signature)];
    if (!id || !timestamp || !signature) return refuse(res, deps.stats, deps.logger, PROVIDER, 'missing_signature');

    let verified: unknown;
    try {
      verified = webhooks.verify({
        payload,
        headers: { id, timestamp, signature },
        webhookSecret: resendWebhookSecret,
      });
    } catch (err) {
      if (!(err instanceof SyntaxError)) return refuse(res, deps.stats, deps.logger, PROVIDER, signatureProblem(err));
      verified = undefined; // signed, but not JSON
    }
    const parsed = resendEventSchema.safeParse(verified);
    if (!parsed.success) {
      return malformed(res, 'malformed_event', 'Resend webhook body is not a Resend event');
    }
    const event = parsed.data;
    const outcome: EventOutcome = await handleOnce(deps.inbox, PROVIDER, id, () => apply(deps, id, event));
    res.status(statusFor([outcome])).json({ received: 1 });
  });

  return router;
}

/** The verifier's refusal, in our terms: a timestamp outside its five minutes, or a signature that does not match. */
function signatureProblem(err: unknown): SignatureProblem {
  return /timestamp/i.test(err instanceof Error ? err.message : '') ? 'stale_timestamp' : 'bad_signature';
}

async function apply(
  deps: ResendWebhookDeps,
  eventId: string,
  sent: ResendEvent,
): Promise<Exclude<EventOutcome, 'duplicate'>> {
  const data = sent.data ?? {};
  const at = sent.created_at ? new Date(sent.created_at) : undefined;
  const event: EmailEvent = {
    provider: PROVIDER,
    eventId,
    name: sent.type ?? 'unknown',
    ...(data.tags?.ledgerId ? { ledgerId: data.tags.ledgerId } : {}),
    ...(data.email_id ? { providerMessageId: data.email_id } : {}),
    ...(at && !Number.isNaN(at.getTime()) ? { at } : {}),
    ...(data.to?.[0] ? { email: data.to[0] } : {}),
  };

  switch (sent.type) {
    case 'email.opened':
    case 'email.clicked':
      if (!deps.engagement) return 'ignored';
      return recordEmailEngagement(
        { ...deps, engagement: deps.engagement },
        event,
        sent.type === 'email.opened' ? 'open' : 'click',
      );
    case 'email.delivered':
      return recordDeliveryReport(deps, event, { status: 'delivered' });
    case 'email.bounced': {
      const hard = data.bounce?.type === 'Permanent';
      if (hard) await optOutEmail(deps, event, 'bounce', 'hard bounce');
      return recordDeliveryReport(deps, event, {
        status: 'failed',
        errorCode: hard ? 'bounce' : 'blocked',
        errorMessage: `${hard ? 'bounced' : 'blocked'}: ${withoutAddresses(data.bounce?.message)}`,
      });
    }
    case 'email.suppressed':
      return recordDeliveryReport(deps, event, {
        status: 'failed',
        errorCode: 'suppressed',
        errorMessage: `suppressed: ${withoutAddresses(data.suppressed?.message)}`,
      });
    case 'email.failed':
      return recordDeliveryReport(deps, event, {
        status: 'failed',
        errorCode: 'failed',
        errorMessage: `failed: ${withoutAddresses(data.failed?.reason)}`,
      });
    case 'email.complained':
      await optOutEmail(deps, event, 'complaint', 'marked our email as spam');
      return 'applied';
    default:
      return 'ignored'; // email.sent, email.delivery_delayed, email.scheduled, contacts, domains…
  }
}

export function declareResendWebhookRoutes(api: ApiContract): void {
  api.route({
    method: 'post',
    path: '/v1/webhooks/resend/events',
    summary: "Resend's webhook: deliveries, bounces, suppressions, complaints, opens and clicks",
    tags: ['webhooks'],
    description: 'One event per request, signed the Svix way; each is handled once (by svix-id).',
    request: {
      headers: z.object({
        [HEADERS.id]: z.string().min(1).describe('The event id: a repeat is answered without being applied again'),
        [HEADERS.timestamp]: z.string().min(1).describe('Unix seconds; refused when more than 5 minutes away'),
        [HEADERS.signature]: z
          .string()
          .min(1)
          .describe('v1,<base64 HMAC-SHA256 of id.timestamp.body> (space-separated)'),
      }),
      body: {
        required: true,
        content: { 'application/json': { schema: z.unknown().describe("Resend's event, as Resend sends it") } },
      },
    },
    responses: {
      200: api.json('Applied, ignored, or a repeat', WebhookReceipt),
      202: api.json('The event matched no message: kept for support', WebhookReceipt),
      400: api.error('malformed_event: signed, but not a Resend event (no JSON object with a type)'),
      ...webhookRefusals(api, ['database']),
    },
  });
}

/**
 * Twilio's webhooks, form-encoded and signed in `X-Twilio-Signature` (HMAC-SHA1 of the full URL Twilio called plus the
 * sorted form parameters, with our auth token; checked by the SDK's `validateRequest` in constant time). The URL is
 * rebuilt from PUBLIC_BASE_URL and the request's path and query, so PUBLIC_BASE_URL must be the origin Twilio calls.
 *
 *   POST /v1/webhooks/twilio/status   delivery reports for our SMS (TWILIO_STATUS_CALLBACK_URL, `?ledgerId=` each)
 *   POST /v1/webhooks/twilio/inbound  customers' replies: STOP… / START… / HELP (the Messaging Service's or number's
 *                                     incoming-message webhook), answered in TwiML
 */
import express, { Router, type Request, type Response } from 'express';
import twilio from 'twilio';
import type { Config } from '../../config';
import type { ConsentStore } from '../../db/consent';
import type { MessageLedger } from '../../db/ledger';
import type { WebhookInbox } from '../../db/webhook-events';
import type { Logger } from '../../logger';
import type { FunnelEvents } from '../../observability/funnel-metrics';
import { z } from 'zod';
import type { ApiContract } from '../openapi';
import { handleOnce, malformed, notConfigured, refuse, statusFor, webhookRefusals, type WebhookStats } from './inbox';
import { smsIntent } from './sms-keywords';

export interface TwilioWebhookDeps {
  config: Pick<Config, 'twilio' | 'publicBaseUrl' | 'shop'>;
  ledger: MessageLedger;
  consent: ConsentStore;
  inbox: WebhookInbox;
  stats: WebhookStats;
  logger: Logger;
  /** The funnel's Prometheus counters (delivered). */
  funnel?: FunnelEvents;
}

const PROVIDER = 'twilio';

/** Delivery errors Twilio reports in status callbacks (and a few send errors that can show up there too). */
const DELIVERY_ERRORS: Record<string, string> = {
  '30003': 'unreachable destination handset',
  '30004': 'message blocked',
  '30005': 'unknown destination handset',
  '30006': 'landline or unreachable carrier',
  '30007': 'message filtered by the carrier',
  '30008': 'unknown error',
  '21610': 'the recipient opted out (STOP)',
  '21211': 'invalid phone number',
};

/** Error codes that say something about the number itself, for the consent store. */
const ADDRESS_CONSEQUENCES: Record<string, 'opted_out' | 'invalid'> = {
  '21610': 'opted_out',
  '21211': 'invalid',
  '30006': 'invalid',
};

type Form = Record<string, string | undefined>;

export function twilioWebhooks(deps: TwilioWebhookDeps): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '64kb' });

  /** The signature check shared by both routes; false when the request was answered already. */
  const verified = (req: Request, res: Response): boolean => {
    const authToken = deps.config.twilio?.authToken;
    if (!authToken) {
      notConfigured(res, deps.logger, PROVIDER, 'TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN');
      return false;
    }
    const signature = req.get('x-twilio-signature');
    if (!signature) {
      refuse(res, deps.stats, deps.logger, PROVIDER, 'missing_signature');
      return false;
    }
    const url = deps.config.publicBaseUrl.replace(/\/$/, '') + req.originalUrl;
    if (!twilio.validateRequest(authToken, signature, url, (req.body ?? {}) as Form)) {
      refuse(res, deps.stats, deps.logger, PROVIDER, 'bad_signature');
      return false;
    }
    return true;
  };

  router.post('/v1/webhooks/twilio/status', form, async (req, res) => {
    if (!verified(req, res)) return;
    const { MessageSid: messageSid, MessageStatus: status, ErrorCode: errorCode, To: to } = (req.body ?? {}) as Form;
    const ledgerId = typeof req.query.ledgerId === 'string' ? req.query.ledgerId : undefined;
    if (!messageSid || !status) {
      return malformed(res, 'invalid_request', 'MessageSid and MessageStatus are required');
    }
    const delivered = status === 'delivered' || status === 'read';
    const failed = status === 'undelivered' || status === 'failed';
    if (!delivered && !failed) {
      res.status(200).end(); // queued, sending, sent…: nothing the ledger does not know already
      return;
    }

    const outcome = await handleOnce(deps.inbox, PROVIDER, `status:${messageSid}:${status}`, async () => {
      const code = errorCode || status;
      const report = delivered
        ? ({ status: 'delivered' } as const)
        : ({
            status: 'failed',
            errorCode: code,
            errorMessage: `${status}: ${DELIVERY_ERRORS[code] ?? `Twilio error ${code}`}`,
          } as const);
      const consequence = errorCode ? ADDRESS_CONSEQUENCES[errorCode] : undefined;
      if (consequence && to) {
        await deps.consent.record({
          channel: 'sms',
          address: to,
          status: consequence,
          source: `${PROVIDER}:${errorCode}`,
          reason: DELIVERY_ERRORS[errorCode!],
        });
      }
      const entry = await deps.ledger.recordDelivery(
        { provider: PROVIDER, ledgerId, providerMessageId: messageSid },
        report,
      );
      if (!entry) {
        deps.logger.warn(
          { provider: PROVIDER, messageSid, status },
          'delivery report for an unknown message: kept for support',
        );
        await deps.inbox.keepUnmatched({
          provider: PROVIDER,
          eventId: `status:${messageSid}:${status}`,
          reason: 'unknown_message',
          lookupKey: ledgerId ?? messageSid,
          event: { messageSid, ...(ledgerId ? { ledgerId } : {}), ...report },
        });
        return 'unmatched';
      }
      deps.logger.info(
        { provider: PROVIDER, ledgerId: entry.id, status: entry.status, errorCode },
        'SMS delivery report recorded',
      );
      // "read" (where the channel reports it) follows "delivered": the message was counted delivered already.
      if (status === 'delivered' && entry.status === 'delivered')
        deps.funnel?.reached('delivered', { channel: entry.channel, messageType: entry.messageType });
      return 'applied';
    });
    res.status(statusFor([outcome])).end();
  });

  router.post('/v1/webhooks/twilio/inbound', form, async (req, res) => {
    if (!verified(req, res)) return;
    const { MessageSid: messageSid, From: from, Body: body, OptOutType: optOutType } = (req.body ?? {}) as Form;
    const asked = smsIntent(body, optOutType);
    if (messageSid && from && asked && asked.intent !== 'help') {
      await handleOnce(deps.inbox, PROVIDER, `inbound:${messageSid}`, async () => {
        await deps.consent.record({
          channel: 'sms',
          address: from,
          status: asked.intent === 'opt_out' ? 'opted_out' : 'opted_in',
          source: `${PROVIDER}:inbound`,
          reason: `replied ${asked.keyword}`,
        });
        return 'applied';
      });
    }
    deps.logger.info({ provider: PROVIDER, messageSid, intent: asked?.intent ?? 'none' }, 'inbound SMS');
    // Twilio confirms STOP and START itself (its default opt-out handling); HELP gets our answer.
    const reply = new twilio.twiml.MessagingResponse();
    if (asked?.intent === 'help') reply.message(helpText(deps.config.shop));
    res.type('text/xml').send(reply.toString());
  });

  return router;
}

export function declareTwilioWebhookRoutes(api: ApiContract): void {
  const headers = z.object({
    'x-twilio-signature': z.string().min(1).describe('HMAC-SHA1 over PUBLIC_BASE_URL + path + sorted form fields'),
  });
  const form = (schema: z.ZodType) => ({
    required: true,
    content: { 'application/x-www-form-urlencoded': { schema } },
  });
  api.route({
    method: 'post',
    path: '/v1/webhooks/twilio/status',
    summary: 'SMS delivery reports from Twilio',
    tags: ['webhooks'],
    request: {
      headers,
      query: z.object({
        ledgerId: z
          .string()
          .optional()
          .describe("The message's ledger row, added to TWILIO_STATUS_CALLBACK_URL per message"),
      }),
      body: form(
        z
          .object({
            MessageSid: z.string(),
            MessageStatus: z.string(),
            ErrorCode: z.string().optional(),
            To: z.string().optional(),
          })
          .loose(),
      ),
    },
    responses: {
      200: { description: 'Recorded, a repeat, or a status with nothing new (queued, sent…)' },
      202: { description: 'The message is unknown: kept for support' },
      400: api.error('invalid_request: MessageSid and MessageStatus are required'),
      ...webhookRefusals(api, ['database']),
    },
  });
  api.route({
    method: 'post',
    path: '/v1/webhooks/twilio/inbound',
    summary: "Customers' SMS replies: STOP / START / HELP keywords",
    tags: ['webhooks'],
    request: {
      headers,
      body: form(
        z
          .object({ MessageSid: z.string(), From: z.string(), Body: z.string(), OptOutType: z.string().optional() })
          .loose(),
      ),
    },
    responses: {
      200: { description: 'TwiML: empty, or the HELP answer', content: { 'text/xml': { schema: z.string() } } },
      ...webhookRefusals(api, ['database']),
    },
  });
}

function helpText(shop: Config['shop']): string {
  const contact = [shop.supportEmail, shop.supportPhone].filter(Boolean).join(' or ');
  return `${shop.name}: order updates by SMS. Help: ${contact}. Reply STOP to stop these messages, START to get them again.`;
}

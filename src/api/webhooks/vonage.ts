/**
 * Vonage's SMS delivery receipts: POST /v1/webhooks/vonage/status, the fields of Vonage's published `DeliveryReceipt`
 * (vonage_sms.yml) as JSON or as a form, signed with the account's signature secret (VONAGE_SIGNATURE_SECRET, by the
 * method the account is set to, VONAGE_SIGNATURE_METHOD) and checked with the SMS SDK's own verifier; its `timestamp`
 * more than five minutes away from now is refused. Vonage is the failover SMS provider (docs/failover.md): its
 * receipts keep the ledger and the funnel as complete as Twilio's do.
 *
 *   delivered                     ledger → delivered
 *   expired, failed, rejected     ledger → failed with Vonage's err-code
 *   accepted, buffered, unknown   nothing the ledger does not know already
 * A receipt finds its message by `client-ref` (the ledger id every send carries), else by Vonage's message id.
 */
import { SMS } from '@vonage/sms';
import express, { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../config';
import type { ApiContract } from '../openapi';
import { recordDeliveryReport, type DeliveryReportDeps } from './email-events';
import {
  handleOnce,
  malformed,
  notConfigured,
  refuse,
  statusFor,
  WebhookReceipt,
  webhookRefusals,
  type WebhookStats,
} from './inbox';

export interface VonageWebhookDeps extends DeliveryReportDeps {
  config: Pick<Config, 'vonageSignature'>;
  stats: WebhookStats;
  /** For tests: the clock the timestamp is judged by. */
  now?: () => number;
}

const PROVIDER = 'vonage';
/** How far the signed timestamp may be from our clock. */
const TIMESTAMP_TOLERANCE_S = 300;
const FAILED = new Set(['expired', 'failed', 'rejected']);

/** The receipt's fields we read; Vonage signs every field it sends, so all of them are kept for the check. */
const receiptSchema = z.looseObject({
  messageId: z.string().min(1),
  status: z.string().min(1),
  'err-code': z.string().optional(),
  'client-ref': z.string().optional(),
  timestamp: z.string().optional(),
  sig: z.string().optional(),
});

export function vonageWebhooks(deps: VonageWebhookDeps): Router {
  const router = Router();
  // The SDK's signature check needs no credentials; the client is never used to call Vonage.
  const verifier = new SMS({ apiKey: 'unused', apiSecret: 'unused' });
  const now = deps.now ?? Date.now;
  const body = [express.json({ limit: '64kb' }), express.urlencoded({ extended: false, limit: '64kb' })];

  router.post('/v1/webhooks/vonage/status', ...body, async (req, res) => {
    const signing = deps.config.vonageSignature;
    if (!signing) return notConfigured(res, deps.logger, PROVIDER, 'VONAGE_SIGNATURE_SECRET');
    const fields = Object.fromEntries(
      Object.entries((req.body ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
    );
    if (!fields.sig || !fields.timestamp) return refuse(res, deps.stats, deps.logger, PROVIDER, 'missing_signature');
    if (!verified(verifier, fields, signing)) return refuse(res, deps.stats, deps.logger, PROVIDER, 'bad_signature');
    const signedAt = Number(fields.timestamp);
    if (!Number.isFinite(signedAt) || Math.abs(now() / 1000 - signedAt) > TIMESTAMP_TOLERANCE_S)
      return refuse(res, deps.stats, deps.logger, PROVIDER, 'stale_timestamp');

    const parsed = receiptSchema.safeParse(fields);
    if (!parsed.success) {
      return malformed(res, 'invalid_request', 'a delivery receipt needs messageId and status');
    }
    const receipt = parsed.data;
    const delivered = receipt.status === 'delivered';
    if (!delivered && !FAILED.has(receipt.status)) {
      res.status(200).json({ received: 1 }); // accepted, buffered, unknown: not news for the ledger
      return;
    }
    const eventId = `status:${receipt.messageId}:${receipt.status}`;
    const outcome = await handleOnce(deps.inbox, PROVIDER, eventId, () => {
      const code = receipt['err-code'] ?? receipt.status;
      return recordDeliveryReport(
        deps,
        {
          provider: PROVIDER,
          eventId,
          name: receipt.status,
          providerMessageId: receipt.messageId,
          ...(receipt['client-ref'] ? { ledgerId: receipt['client-ref'] } : {}),
        },
        delivered
          ? { status: 'delivered' }
          : { status: 'failed', errorCode: code, errorMessage: `${receipt.status}: Vonage error ${code}` },
      );
    });
    res.status(statusFor([outcome])).json({ received: 1 });
  });

  return router;
}

function verified(
  verifier: SMS,
  fields: Record<string, string>,
  signing: NonNullable<Config['vonageSignature']>,
): boolean {
  try {
    return verifier.verifySignature(fields.sig!, fields, signing.secret, signing.method);
  } catch {
    return false;
  }
}

export function declareVonageWebhookRoutes(api: ApiContract): void {
  const receipt = z.object({
    messageId: z.string().min(1).describe("Vonage's message id"),
    status: z.string().min(1).describe('delivered, expired, failed, rejected, accepted, buffered or unknown'),
    'err-code': z.string().optional(),
    'client-ref': z.string().optional().describe('Our ledger id, sent with the SMS'),
    timestamp: z.string().min(1).describe('Unix seconds; refused when more than 5 minutes away'),
    nonce: z.string().optional(),
    sig: z.string().min(1).describe('The signature over every other field, by the account’s signature method'),
  });
  api.route({
    method: 'post',
    path: '/v1/webhooks/vonage/status',
    summary: "Vonage's SMS delivery receipts",
    tags: ['webhooks'],
    description: 'Each receipt is handled once (by message id and status).',
    request: {
      body: {
        required: true,
        content: {
          'application/json': { schema: receipt.loose() },
          'application/x-www-form-urlencoded': { schema: receipt.loose() },
        },
      },
    },
    responses: {
      200: api.json('Applied, not news, or a repeat', WebhookReceipt),
      202: api.json('The receipt matched no message: kept for support', WebhookReceipt),
      400: api.error('invalid_request: signed, but no messageId or status'),
      ...webhookRefusals(api, ['database']),
    },
  });
}

/** What every webhook does the same way: count refused signatures, and handle each provider event exactly once. */
import type { Response } from 'express';
import type { WebhookInbox } from '../../db/webhook-events';
import type { Logger } from '../../logger';
import type { ApiContract } from '../openapi';
import { webhookReceiptSchema } from '../responses';

export type SignatureProblem = 'missing_signature' | 'bad_signature' | 'stale_timestamp';

/** Counters for operators (and tests): refused webhook requests by provider and reason. */
export class WebhookStats {
  readonly refused: Record<string, number> = {};

  refuse(provider: string, reason: SignatureProblem): void {
    const key = `${provider}:${reason}`;
    this.refused[key] = (this.refused[key] ?? 0) + 1;
  }

  refusedFor(provider: string): number {
    return Object.entries(this.refused)
      .filter(([key]) => key.startsWith(`${provider}:`))
      .reduce((sum, [, n]) => sum + n, 0);
  }
}

/** Answers 401 for a request whose signature does not prove it came from the provider; logs no body, no address. */
export function refuse(
  res: Response,
  stats: WebhookStats,
  logger: Logger,
  provider: string,
  reason: SignatureProblem,
): void {
  stats.refuse(provider, reason);
  logger.warn({ provider, reason, refusedSoFar: stats.refusedFor(provider) }, 'webhook refused: signature not valid');
  res.status(401).json({
    error: {
      code: 'invalid_signature',
      message: `${provider} webhook signature not valid (${reason.replace(/_/g, ' ')})`,
      details: null,
    },
  });
}

/** 400 for a request whose signature holds but whose body is not what the provider sends. */
export function malformed(res: Response, code: string, message: string): void {
  res.status(400).json({ error: { code, message, details: null } });
}

/** The provider's secret is not configured: 503, so the provider retries once it is (nothing is lost meanwhile). */
export function notConfigured(res: Response, logger: Logger, provider: string, missing: string): void {
  logger.error({ provider, missing }, 'webhook received but not configured');
  res.status(503).json({
    error: { code: 'webhook_not_configured', message: `${provider} webhooks need ${missing}`, details: null },
  });
}

export type EventOutcome = 'applied' | 'ignored' | 'unmatched' | 'duplicate';

/**
 * Handles one provider event unless it was handled before. The event id is recorded only once the handling succeeded:
 * if the process dies in between, the provider's retry handles it again rather than losing it. So delivery is at least
 * once, and every handler is idempotent (the journey drops a tracking event id it has seen, ledger and consent updates
 * only move forward); two copies arriving at the very same moment may both be handled, to the same effect.
 */
export async function handleOnce(
  inbox: WebhookInbox,
  provider: string,
  eventId: string,
  handle: () => Promise<Exclude<EventOutcome, 'duplicate'>>,
): Promise<EventOutcome> {
  if (await inbox.seen(provider, eventId)) return 'duplicate';
  const outcome = await handle();
  await inbox.remember(provider, eventId);
  return outcome;
}

/** 202 when some event matched nothing (kept for support), else 200. */
export function statusFor(outcomes: EventOutcome[]): number {
  return outcomes.includes('unmatched') ? 202 : 200;
}

/** What a webhook answers when it took the request (`#/components/schemas/WebhookReceipt`). */
export const WebhookReceipt = webhookReceiptSchema.meta({ id: 'WebhookReceipt' });

/** Answers every webhook gives in the contract: 401 for a refused signature, 503 for a missing secret. */
export function webhookRefusals(api: ApiContract, needs: ('database' | 'temporal')[]) {
  return {
    401: api.error('invalid_signature: missing, wrong or (SendGrid) stale signature'),
    503: api.unavailable(needs, 'webhook_not_configured: the secret or key to check signatures with is not set'),
  };
}

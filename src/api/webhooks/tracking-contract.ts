/**
 * The tracking webhooks in the contract (their handlers: ./tracking.ts), one operation per provider of the table that
 * pushes webhooks, with the provider's own signature header.
 */
import { z } from 'zod';
import { trackingWebhookRoutes } from '../../providers/carriers/tracking-provider';
import { CARRIER_TRACKING_PROVIDERS } from '../../providers/carriers/tracking-providers';
import type { ApiContract } from '../openapi';
import { WebhookReceipt, webhookRefusals } from './inbox';

export function declareTrackingWebhookRoutes(api: ApiContract): void {
  for (const { name, label, signatureHeader } of trackingWebhookRoutes(CARRIER_TRACKING_PROVIDERS)) {
    api.route({
      method: 'post',
      path: `/v1/webhooks/tracking/${name}`,
      tags: ['webhooks'],
      summary: `Carrier updates from ${label}`,
      description: 'Each event is handled once; its parcel is found by tracking number and the journey is signalled.',
      request: {
        headers: z.object({
          [signatureHeader.toLowerCase()]: z
            .string()
            .min(1)
            .describe('HMAC-SHA256 of the raw body with the webhook secret'),
        }),
        body: {
          required: true,
          content: { 'application/json': { schema: z.unknown().describe(`${label}'s payload, as ${label} sends it`) } },
        },
      },
      responses: {
        200: api.json('Applied, ignored, or repeats', WebhookReceipt),
        202: api.json('Some event matched no parcel or journey: kept for support', WebhookReceipt),
        400: api.error('malformed_json'),
        ...webhookRefusals(api, ['database', 'temporal']),
      },
    });
  }
}

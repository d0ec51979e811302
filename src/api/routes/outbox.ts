/**
 * The local outbox: what the outbox provider "sent". JSON for scripts and tests; a plain HTML page for people
 * (dev stack only, since it shows customers' messages without a key).
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../config';
import type { OutboxMessage, OutboxStore } from '../../db/outbox';
import { orderSchema } from '../../domain/order';
import { escapeHtml as e } from '../../templates/html';
import { requireRole } from '../auth';
import { parseOr400 } from '../errors';
import type { ApiContract } from '../openapi';
import { outboxListSchema } from '../responses';

export const outboxQuery = z.object({
  orderId: orderSchema.shape.orderId.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export function outboxRouter(config: Config, outbox: OutboxStore): Router {
  const router = Router();

  router.get('/v1/outbox', requireRole(config.apiKeys, 'checkout', 'support'), async (req, res) => {
    const query = parseOr400(outboxQuery, req.query, 'query');
    res.json({ messages: await outbox.list(query) });
  });

  if (config.env !== 'production') {
    router.get('/outbox', async (req, res) => {
      const query = parseOr400(outboxQuery, req.query, 'query');
      res.type('html').send(outboxPage(await outbox.list(query), query.orderId));
    });
  }
  return router;
}

const OutboxList = outboxListSchema.meta({ id: 'OutboxList' });

/** GET /outbox (the dev stack's page) is left out of the contract on purpose: it is no API. */
export function declareOutboxRoutes(api: ApiContract): void {
  api.route({
    method: 'get',
    path: '/v1/outbox',
    tags: ['messages'],
    summary: 'Messages recorded by the local outbox provider, newest first',
    roles: ['checkout', 'support'],
    needs: ['database'],
    request: { query: outboxQuery },
    responses: { 200: api.json('The messages', OutboxList), 400: api.errors[400] },
  });
}

function outboxPage(messages: OutboxMessage[], orderId?: string): string {
  const rows = messages.map(
    (m) => `<article>
  <header><strong>${e(m.messageType)}</strong> · ${e(m.channel)} to ${e(m.recipient)} · order ${e(m.orderId ?? '-')}
  · <time>${e(m.createdAt.toISOString())}</time></header>
  ${m.subject ? `<h3>${e(m.subject)}</h3>` : ''}
  <pre>${e(m.textBody)}</pre>
</article>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Outbox${orderId ? ` · order ${e(orderId)}` : ''}</title>
<style>body{font:15px system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}article{border:1px solid #ddd;border-radius:6px;padding:.75rem 1rem;margin:1rem 0}pre{white-space:pre-wrap;font:inherit}header{color:#555}</style>
</head><body>
<h1>Outbox${orderId ? ` · order ${e(orderId)}` : ''}</h1>
<p>Messages recorded by the local outbox provider, newest first (${messages.length}).</p>
${rows.join('\n') || '<p><em>No messages yet.</em></p>'}
</body></html>`;
}

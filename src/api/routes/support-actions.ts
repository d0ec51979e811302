/**
 * Support staff's actions on a journey: returns and cancellation, each answered with a clear yes (and its id) or no
 * (and why). Both take an optional Idempotency-Key header, so support tools can retry them safely (src/api/idempotency.ts).
 */
import { Router, type Response } from 'express';
import type { Config } from '../../config';
import type { IdempotencyKeys, StoredAnswer } from '../../db/idempotency-keys';
import type { JourneyService } from '../../journeys/journey-service';
import { requireRole } from '../auth';
import { parseOr400 } from '../errors';
import { idempotencyKeyOf, idempotent } from '../idempotency';
import { journeyAction } from '../journey-errors';
import { cancelRequestSchema, returnRequestSchema } from '../requests';
import { orderIdParam } from './orders';

/** `idempotencyKeys`: where keys and answers are kept; without it a key still dedupes through Temporal, but a key reused for another body goes unnoticed. */
export function supportActionsRouter(config: Config, journeys: JourneyService, idempotencyKeys?: IdempotencyKeys): Router {
  const router = Router();
  const support = requireRole(config.apiKeys, 'support');

  router.post('/v1/orders/:orderId/returns', support, async (req, res) => {
    const { orderId } = parseOr400(orderIdParam, req.params, 'order id');
    const request = parseOr400(returnRequestSchema, req.body, 'return');
    const idempotencyKey = idempotencyKeyOf(req.headers);
    const answer = await idempotent(idempotencyKeys, { orderId, action: 'return', key: idempotencyKey }, request, async () => ({
      status: 201,
      body: await journeyAction(journeys.requestReturn(orderId, request, { idempotencyKey })),
    }));
    send(res, answer);
  });

  router.post('/v1/orders/:orderId/cancel', support, async (req, res) => {
    const { orderId } = parseOr400(orderIdParam, req.params, 'order id');
    const request = parseOr400(cancelRequestSchema, req.body, 'cancellation');
    const idempotencyKey = idempotencyKeyOf(req.headers);
    const answer = await idempotent(idempotencyKeys, { orderId, action: 'cancel', key: idempotencyKey }, request, async () => ({
      status: 200,
      body: { status: 'cancelled', ...(await journeyAction(journeys.cancel(orderId, request, { idempotencyKey }))) },
    }));
    send(res, answer);
  });

  return router;
}

/** A replayed answer says so (`Idempotency-Replayed: true`), as payment APIs do. */
function send(res: Response, answer: StoredAnswer & { replayed: boolean }): void {
  if (answer.replayed) res.set('Idempotency-Replayed', 'true');
  res.status(answer.status).json(answer.body);
}
